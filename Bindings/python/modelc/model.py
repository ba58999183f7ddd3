"""Models and their components."""
import ctypes
from pathlib import Path
from typing import Optional, Union

from ._arrays import doubles, optional
from ._library import Candle, Score, _c_model, _c_stream, check, error_buffer, lib
from .frame import score_frame
from .registry import load as _registry_load

ROLES = {0: "unspecified", 1: "long", 2: "short", 3: "direction"}


class Component:
    """One scoring component of a model (a network, a tree ensemble, or an ensemble of them)."""

    def __init__(self, model: "Model", index: int):
        self._model = model
        self.index = index
        self.name = lib.mc_component_name(model._handle, index).decode()
        self.role = ROLES.get(lib.mc_component_role(model._handle, index), "unknown")
        self.window = lib.mc_component_window(model._handle, index)
        self.input_count = lib.mc_component_input_count(model._handle, index)
        # The feature each input is, or the column an imported model declares (None: unnamed).
        self.input_names = [_text(lib.mc_component_input_name(model._handle, index, i)) for i in range(self.input_count)]

    def score_inputs(self, inputs):
        """Probabilities for precomputed inputs: N x window x input_count raw feature values,
        oldest step first, as a NumPy array (any shape; a NumPy array of N probabilities comes
        back), a buffer of float64 or a sequence (a list comes back). The runtime reads the array
        in place when it is C-contiguous float64; _arrays.doubles says what else is converted."""
        values, length, owner = doubles(inputs, f"component '{self.name}' inputs")
        per = self.window * self.input_count
        if not per or length % per:
            raise ValueError(f"component '{self.name}' reads {self.window} x {self.input_count} = {per} values per input; "
                             f"got {length}, not a multiple")
        count = length // per
        numpy_out = type(owner).__module__ == "numpy"
        out = optional("numpy", "score_inputs").empty(count) if numpy_out else (ctypes.c_double * count)()
        pointer = out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)) if numpy_out else out
        err = error_buffer()
        check(lib.mc_score_inputs(self._model._handle, self.index, values, count, pointer, err, len(err)), err)
        return out if numpy_out else list(out)

    def __repr__(self) -> str:
        return f"Component({self.name!r}, role={self.role}, window={self.window}, inputs={self.input_count})"


class Model:
    """An open artifact. Immutable; may be shared by threads."""

    _handle = None
    registry_version = None  # the registry Version it was opened from (open_registry), else None

    def __init__(self, source: Union[str, Path, bytes]):
        data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
        handle = _c_model()
        err = error_buffer()
        try:
            check(lib.mc_model_open_bytes(bytes(data), len(data), ctypes.byref(handle), err, len(err)), err)
        except Exception as e:
            if not isinstance(source, (bytes, bytearray)):
                e.args = (f"{source}: {e.args[0]}",)
            raise
        self._handle = handle
        self.name = lib.mc_model_name(handle).decode()
        self.version = lib.mc_model_version(handle).decode()
        self.feature_count = lib.mc_model_feature_count(handle)
        self.components = [Component(self, i) for i in range(lib.mc_model_component_count(handle))]

    @classmethod
    def open_registry(cls, folder: Union[str, Path], ref: str, trusted_keys=None) -> "Model":
        """Opens `ref` (`NAME`, `NAME@VERSION`, `NAME@ALIAS` such as `NAME@production`) from the
        registry folder `folder`, without the CLI. The blob's SHA-256 and the signature are checked
        before the model is opened: with `trusted_keys` (`.pub` paths or 32-byte keys) a signature
        by one of them is required; with None, the registry's own trusted keys, when it has any
        (modelc.registry.load says which refusals; SignatureError.reason says why one was refused).
        `registry_version` then says which version was opened and who signed it."""
        data, version = _registry_load(folder, ref, trusted_keys)
        try:
            model = cls(data)
        except Exception as e:
            e.args = (f"{version.ref} ({version.blob}): {e.args[0]}",)
            raise
        model.registry_version = version
        return model

    def component(self, name: str) -> Component:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(f"model '{self.name}' has no component '{name}' (has: {', '.join(c.name for c in self.components)})")

    @property
    def warmup_candles(self) -> int:
        """Candles a fresh stream needs before every component scores (0 for a model that
        computes no features from candles: score its components' inputs instead)."""
        return lib.mc_model_warmup_candles(self._handle)

    def stream(self) -> "Stream":
        """A new per-symbol stream."""
        return Stream(self)

    def score_window(self, candles) -> Score:
        """Stateless: the score of the last candle, as a fresh stream fed all of them would give."""
        array = (Candle * len(candles))(*[_candle(c) for c in candles])
        out = Score()
        err = error_buffer()
        check(lib.mc_score_window(self._handle, array, len(candles), ctypes.byref(out), err, len(err)), err)
        return out

    def score_frame(self, df):
        """Scores a pandas DataFrame of candles as streams would, one fresh stream per symbol.

        Columns: `timestamp` (unix seconds, ISO text or datetimes; modelc's CSV) or `date`
        (datetime64; freqtrade), open, high, low, close, volume, and optionally `symbol` (one
        stream per symbol). Each symbol's rows must be in time order, one per timestamp.
        Returns a DataFrame with the same index: timestamp (UTC), symbol (if given), p_long,
        p_short, p_up, each component's probability (a column per component name), confidence,
        signal, size, ready — the same bits as pushing the rows through Stream.push."""
        return score_frame(self, df)

    def close(self) -> None:
        if self._handle:
            lib.mc_model_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def __repr__(self) -> str:
        return f"Model({self.name!r} {self.version}, components={[c.name for c in self.components]})"


class Stream:
    """One symbol's live state: push candles in time order, get a Score per candle."""

    _handle = None

    def __init__(self, model: Model):
        handle = _c_stream()
        err = error_buffer()
        check(lib.mc_stream_create(model._handle, ctypes.byref(handle), err, len(err)), err)
        self._handle = handle
        self.model = model

    def set_model(self, model: Model) -> None:
        """Hands the stream to `model` (e.g. a new version) without a warm-up gap: its recent
        candles are replayed through the new model, so the next push scores with it at once
        (Spec.md §4.7). Raises ModelcError, keeping the current model, when the candle intervals
        differ."""
        err = error_buffer()
        check(lib.mc_stream_set_model(self._handle, model._handle, err, len(err)), err)
        self.model = model

    @property
    def history_count(self) -> int:
        """Candles of the current gap-free run held for set_model."""
        return lib.mc_stream_history_count(self._handle)

    def push(self, candle) -> Score:
        """`candle`: (timestamp, open, high, low, close, volume) or a Candle."""
        out = Score()
        err = error_buffer()
        check(lib.mc_stream_push(self._handle, ctypes.byref(_candle(candle)), ctypes.byref(out), err, len(err)), err)
        return out

    def component_probabilities(self) -> dict:
        """Each component's probability at the last push, by name (calibrated, as the blend reads
        them; NaN when a component was not scored)."""
        return {c.name: lib.mc_stream_component_probability(self._handle, i) for i, c in enumerate(self.model.components)}

    def reset(self) -> None:
        lib.mc_stream_reset(self._handle)

    def __del__(self):
        if self._handle:
            lib.mc_stream_free(self._handle)
            self._handle = None


def _candle(c) -> Candle:
    return c if isinstance(c, Candle) else Candle(int(c[0]), *(float(v) for v in c[1:6]))


def _text(name: Optional[bytes]) -> Optional[str]:
    return None if name is None else name.decode()

