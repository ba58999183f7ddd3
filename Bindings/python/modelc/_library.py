"""Loads libmodelc_runtime and declares the C signatures of modelc.h."""
import ctypes
import ctypes.util
import os
from pathlib import Path

_c_model = ctypes.c_void_p
_c_stream = ctypes.c_void_p


class Candle(ctypes.Structure):
    """mc_candle: open time in unix seconds (UTC), prices, base-asset volume."""
    _fields_ = [("timestamp", ctypes.c_int64), ("open", ctypes.c_double), ("high", ctypes.c_double),
                ("low", ctypes.c_double), ("close", ctypes.c_double), ("volume", ctypes.c_double)]


class Score(ctypes.Structure):
    """mc_score: probabilities (NaN when not available), blended confidence, signal and size."""
    _fields_ = [("timestamp", ctypes.c_int64), ("p_long", ctypes.c_double), ("p_short", ctypes.c_double),
                ("p_up", ctypes.c_double), ("confidence", ctypes.c_double), ("size", ctypes.c_double),
                ("signal", ctypes.c_int32), ("ready", ctypes.c_int32)]

    def __repr__(self) -> str:
        return (f"Score(timestamp={self.timestamp}, ready={bool(self.ready)}, signal={self.signal}, size={self.size:.4f}, "
                f"confidence={self.confidence:.4f}, p_up={self.p_up:.4f}, p_long={self.p_long:.4f}, p_short={self.p_short:.4f})")


class SignatureSlot(ctypes.Structure):
    """mc_signature: an artifact's signature slot as stored (each field's length and first bytes)
    and where its stored body starts."""
    _fields_ = [("present", ctypes.c_int32), ("algorithm_length", ctypes.c_uint32), ("key_id_length", ctypes.c_uint32),
                ("public_key_length", ctypes.c_uint32), ("value_length", ctypes.c_uint32),
                ("algorithm", ctypes.c_char * 32), ("key_id", ctypes.c_char * 32),
                ("public_key", ctypes.c_uint8 * 32), ("value", ctypes.c_uint8 * 64), ("body_offset", ctypes.c_uint64)]


class ModelcError(Exception):
    """A runtime call failed: `code` is the MC_E_* value, the message says what is wrong."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def _find() -> str:
    explicit = os.environ.get("MODELC_RUNTIME_LIB")
    if explicit:
        return explicit
    shipped = Path(__file__).with_name("libmodelc_runtime.so")
    if shipped.exists():
        return str(shipped)
    found = ctypes.util.find_library("modelc_runtime")
    if found:
        return found
    raise OSError("libmodelc_runtime.so not found: set MODELC_RUNTIME_LIB to its path "
                  "(Tools/build-runtime.sh prints it)")


lib = ctypes.CDLL(_find())

_signatures = {
    "mc_version": ([], ctypes.c_char_p),
    "mc_format_version": ([], ctypes.c_int32),
    "mc_model_open_bytes": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_c_model), ctypes.c_char_p, ctypes.c_size_t], ctypes.c_int32),
    "mc_model_free": ([_c_model], None),
    "mc_model_name": ([_c_model], ctypes.c_char_p),
    "mc_model_version": ([_c_model], ctypes.c_char_p),
    "mc_model_feature_count": ([_c_model], ctypes.c_int32),
    "mc_model_component_count": ([_c_model], ctypes.c_int32),
    "mc_component_name": ([_c_model, ctypes.c_int32], ctypes.c_char_p),
    "mc_component_index": ([_c_model, ctypes.c_char_p], ctypes.c_int32),
    "mc_component_role": ([_c_model, ctypes.c_int32], ctypes.c_int32),
    "mc_component_window": ([_c_model, ctypes.c_int32], ctypes.c_int32),
    "mc_component_input_count": ([_c_model, ctypes.c_int32], ctypes.c_int32),
    "mc_component_input_name": ([_c_model, ctypes.c_int32, ctypes.c_int32], ctypes.c_char_p),
    "mc_model_warmup_candles": ([_c_model], ctypes.c_int32),
    "mc_stream_create": ([_c_model, ctypes.POINTER(_c_stream), ctypes.c_char_p, ctypes.c_size_t], ctypes.c_int32),
    "mc_stream_free": ([_c_stream], None),
    "mc_stream_reset": ([_c_stream], None),
    "mc_stream_set_model": ([_c_stream, _c_model, ctypes.c_char_p, ctypes.c_size_t], ctypes.c_int32),
    "mc_stream_history_count": ([_c_stream], ctypes.c_int32),
    "mc_stream_component_probability": ([_c_stream, ctypes.c_int32], ctypes.c_double),
    "mc_stream_push": ([_c_stream, ctypes.POINTER(Candle), ctypes.POINTER(Score), ctypes.c_char_p, ctypes.c_size_t], ctypes.c_int32),
    "mc_stream_push_many": ([_c_stream, ctypes.POINTER(Candle), ctypes.c_size_t, ctypes.POINTER(Score),
                             ctypes.POINTER(ctypes.c_double), ctypes.c_char_p, ctypes.c_size_t], ctypes.c_int32),
    "mc_score_window": ([_c_model, ctypes.POINTER(Candle), ctypes.c_size_t, ctypes.POINTER(Score), ctypes.c_char_p, ctypes.c_size_t], ctypes.c_int32),
    "mc_score_inputs": ([_c_model, ctypes.c_int32, ctypes.POINTER(ctypes.c_double), ctypes.c_size_t,
                         ctypes.POINTER(ctypes.c_double), ctypes.c_char_p, ctypes.c_size_t], ctypes.c_int32),
    "mc_artifact_signature": ([ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(SignatureSlot), ctypes.c_char_p, ctypes.c_size_t,
                               ctypes.POINTER(ctypes.c_size_t), ctypes.c_char_p, ctypes.c_size_t], ctypes.c_int32),
}
for _name, (_args, _result) in _signatures.items():
    _f = getattr(lib, _name)
    _f.argtypes = _args
    _f.restype = _result


def check(code: int, err: ctypes.Array) -> None:
    """Raises ModelcError when a call returned a non-zero MC_E_* code."""
    if code != 0:
        raise ModelcError(code, err.value.decode("utf-8", "replace"))


def error_buffer() -> ctypes.Array:
    return ctypes.create_string_buffer(512)


def runtime_version() -> str:
    return lib.mc_version().decode()


def format_version() -> tuple:
    v = lib.mc_format_version()
    return (v // 1000, v % 1000)
