"""Arrays handed to the runtime by pointer: NumPy arrays and buffer-protocol objects, no lists."""
import ctypes
import importlib
from array import array

from ._library import Candle, Score


def optional(module: str, feature: str):
    """Imports an optional dependency (numpy, pandas) when a feature first needs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{feature} needs {module}: pip install {module}") from None


def doubles(values, argument: str):
    """(pointer, count, owner) of `values` as C doubles, keeping `owner` alive for the call.

    The rule: a NumPy array or a buffer of float64 that is C-contiguous is passed in place; a NumPy
    array of another real dtype (float32, integers) is converted once to float64; a sequence is
    copied once into an array('d'), and so is a read-only buffer (ctypes cannot point into one). A
    non-contiguous array or a non-numeric dtype is refused."""
    if type(values).__module__ == "numpy" and hasattr(values, "dtype"):
        np = optional("numpy", argument)
        if not (np.issubdtype(values.dtype, np.floating) or np.issubdtype(values.dtype, np.integer)):
            raise TypeError(f"{argument}: dtype {values.dtype} is not a real number type")
        if not values.flags.c_contiguous:
            raise ValueError(f"{argument}: the array is not C-contiguous (a slice or transpose); "
                             "pass numpy.ascontiguousarray(...)")
        values = values.astype(np.float64, copy=False)
        return values.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), values.size, values
    try:
        view = memoryview(values)
    except TypeError:
        values = array("d", values)
        view = memoryview(values)
    if view.format != "d" or not view.c_contiguous:
        raise TypeError(f"{argument}: a buffer of C-contiguous float64 ('d') is needed, got format "
                        f"'{view.format}'{'' if view.c_contiguous else ', not contiguous'}")
    count = view.nbytes // 8
    if count == 0:
        return None, 0, values
    if view.readonly:
        return (ctypes.c_double * count).from_buffer_copy(view), count, view
    return (ctypes.c_double * count).from_buffer(view.cast("B")), count, view


def candle_dtype(np):
    """mc_candle as a NumPy structured dtype (same layout, checked against ctypes)."""
    dtype = np.dtype([("timestamp", "<i8"), ("open", "<f8"), ("high", "<f8"), ("low", "<f8"), ("close", "<f8"),
                      ("volume", "<f8")])
    assert dtype.itemsize == ctypes.sizeof(Candle)
    return dtype


def score_dtype(np):
    """mc_score as a NumPy structured dtype (same layout, checked against ctypes)."""
    dtype = np.dtype([("timestamp", "<i8"), ("p_long", "<f8"), ("p_short", "<f8"), ("p_up", "<f8"),
                      ("confidence", "<f8"), ("size", "<f8"), ("signal", "<i4"), ("ready", "<i4")])
    assert dtype.itemsize == ctypes.sizeof(Score)
    return dtype
