"""The Python binding scores the golden vectors bit for bit (Tests/Golden, made by Tools/golden.sh)."""
import os
import struct
from pathlib import Path

import numpy as np
import pytest

import modelc

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "Tests" / "Golden"
WORK = ROOT / ".build" / "golden"
FIXTURES = ROOT.parent / "shared" / "fixtures" / "lstm"


@pytest.mark.parametrize("precision", ["f32", "int8", "int8-dynamic"])
def test_golden_bits(precision):
    model = modelc.Model(WORK / f"seed-long-{precision}.modelc")
    inputs = np.load(FIXTURES / "inputs_f19.npy")[0::17].astype(np.float64)
    probabilities = model.component("long").score_inputs(inputs)
    bits = [struct.pack(">d", p).hex() for p in probabilities]
    assert bits == (GOLDEN / f"seed-long-{precision}.bits").read_text().split()


def test_f32_matches_pytorch():
    model = modelc.Model(WORK / "seed-long-f32.modelc")
    inputs = np.load(FIXTURES / "inputs_f19.npy")
    reference = np.load(FIXTURES / "seed_trained_long_f19_probs_f64.npy")[:, 1]
    p = np.array(model.component("long").score_inputs(inputs[:64]))
    assert np.max(np.abs(p - reference[:64])) < 1e-6


def test_errors_name_the_problem(tmp_path):
    bad = tmp_path / "bad.modelc"
    bad.write_bytes(b"timestamp,open,high,low,close,volume\n")
    with pytest.raises(modelc.ModelcError) as e:
        modelc.Model(bad)
    assert e.value.code == 1 and str(bad) in str(e.value) and "magic" in str(e.value)
    model = modelc.Model(WORK / "seed-long-f32.modelc")
    with pytest.raises(ValueError):
        model.component("long").score_inputs([0.0] * 5)
    with pytest.raises(KeyError):
        model.component("short")


def test_versions():
    assert modelc.format_version() == (1, 0)
    assert modelc.runtime_version() == "0.1.0"
