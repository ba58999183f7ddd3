"""Python binding of libmodelc_runtime, the embeddable modelc runtime (C ABI, see modelc.h).

The binding adds no logic: every number comes from the same library a C or Go bot links, so a
Python backtest and a live bot in any language score identically.

The library is found through $MODELC_RUNTIME_LIB, then next to this package, then the system
linker path (``ctypes.util.find_library``).
"""
from ._library import Candle, ModelcError, Score, format_version, runtime_version
from .model import Component, Model, Stream
from .registry import RegistryError
from .signature import SignatureError
from .signature import verify as verify_signature
from .watch import ModelWatcher

__all__ = ["Model", "Component", "Stream", "ModelWatcher", "Candle", "Score", "ModelcError", "RegistryError",
           "SignatureError", "verify_signature", "runtime_version", "format_version"]
