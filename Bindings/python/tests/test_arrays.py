"""Component.score_inputs takes NumPy arrays and float64 buffers by pointer: the runtime reads
C-contiguous float64 in place, other real dtypes are converted once, and the probabilities are the
same bits as scoring the same values given as a list (the reference path)."""
from array import array
from pathlib import Path

import numpy as np
import pytest

import modelc
from modelc._arrays import doubles

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def component():
    model = modelc.Model(ROOT / "Tests" / "Golden" / "calibrated-isotonic.modelc")
    return model.component("long_trees")


@pytest.fixture(scope="module")
def rows(component):
    values = 0.5 * np.sin(0.37 * np.arange(300 * component.input_count, dtype=np.float64))
    return values.reshape(300, component.input_count)


def test_numpy_float64_is_read_in_place(rows):
    _, count, owner = doubles(rows, "inputs")
    assert count == rows.size and np.shares_memory(owner, rows)


def test_numpy_and_buffers_score_as_the_list(component, rows):
    want = np.array(component.score_inputs(rows.ravel().tolist()))
    got = component.score_inputs(rows)
    assert isinstance(got, np.ndarray) and got.tobytes() == want.tobytes()
    for other in (array("d", rows.ravel()), memoryview(rows.tobytes()).cast("d"), memoryview(bytearray(rows.tobytes())).cast("d")):
        assert np.array(component.score_inputs(other)).tobytes() == want.tobytes()


def test_other_real_dtypes_are_converted_once(component, rows):
    single = rows.astype(np.float32)
    assert component.score_inputs(single).tobytes() == component.score_inputs(single.astype(np.float64)).tobytes()


@pytest.mark.parametrize("bad, error, message", [
    (lambda r: r.T, ValueError, "not C-contiguous"),
    (lambda r: r[:, ::2], ValueError, "not C-contiguous"),
    (lambda r: r.astype(object), TypeError, "dtype object is not a real number type"),
    (lambda r: array("f", r.ravel()), TypeError, "got format 'f'"),
])
def test_bad_arrays_are_refused_by_name(component, rows, bad, error, message):
    with pytest.raises(error, match=message) as e:
        component.score_inputs(bad(rows))
    assert "component 'long_trees' inputs" in str(e.value)
