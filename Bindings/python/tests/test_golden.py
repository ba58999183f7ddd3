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
    assert modelc.format_version() == (1, 1)
    assert modelc.runtime_version() == "0.1.0"


@pytest.mark.parametrize("method", ["isotonic", "platt"])
def test_calibrated_golden_bits_and_component_probabilities(method):
    """Format 1.1: a calibrated tree specialist scores the golden bits, and a stream exposes each
    component's calibrated probability beside the p_long the blend acts on."""
    model = modelc.Model(GOLDEN / f"calibrated-{method}.modelc")
    rows = np.load(ROOT.parent / "shared" / "fixtures" / "trees" / "X_test.npy").astype(np.float64)
    probabilities = model.component("long_trees").score_inputs(rows)
    bits = [struct.pack(">d", p).hex() for p in probabilities]
    assert bits == (GOLDEN / f"calibrated-{method}.bits").read_text().split()
    stream = model.stream()
    candles = np.genfromtxt(ROOT / "Models" / "data" / "BTCUSDT_1h_recent.csv", delimiter=",", skip_header=1,
                            dtype=None, encoding="utf-8", max_rows=model.warmup_candles + 50)
    scored = 0
    for row in candles:
        t = int(np.datetime64(row[0].rstrip("Z"), "s").astype(np.int64))
        score = stream.push((t, float(row[1]), float(row[2]), float(row[3]), float(row[4]), float(row[5])))
        components = stream.component_probabilities()
        if score.ready:
            scored += 1
            assert score.p_long == components["long_trees"]  # the only LONG input
            assert score.p_short == components["short_trees"]
        else:
            assert all(np.isnan(p) for p in components.values())
    assert scored > 0
