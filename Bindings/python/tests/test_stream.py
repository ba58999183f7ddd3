"""Streams through the Python binding give exactly what `modelc score` (the Swift API) gives."""
import csv
import math
import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

import modelc

ROOT = Path(__file__).resolve().parents[3]
CANDLES = ROOT.parent / "shared" / "data" / "ohlcv" / "BTCUSDT_1h.csv"
MODELC = os.environ.get("MODELC_BIN", str(ROOT / ".build" / "debug" / "modelc"))


def unix(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    work = tmp_path_factory.mktemp("stream")
    rows = CANDLES.read_text().splitlines()
    candles = work / "btc.csv"
    candles.write_text("\n".join([rows[0]] + rows[-300:]) + "\n")
    model = work / "demo.modelc"
    subprocess.run([MODELC, "demo", "-o", str(model)], check=True, capture_output=True)
    scores = work / "scores.csv"
    subprocess.run([MODELC, "score", str(model), str(candles), "-o", str(scores)], check=True, capture_output=True)
    return model, candles, list(csv.DictReader(open(scores)))


def test_stream_equals_swift_scores(setup):
    model_path, candles_path, expected = setup
    model = modelc.Model(model_path)
    stream = model.stream()
    rows = list(csv.DictReader(open(candles_path)))
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected):
        got = stream.push((unix(row["timestamp"]), row["open"], row["high"], row["low"], row["close"], row["volume"]))
        assert got.ready == int(want["ready"])
        for name in ("p_up", "p_long", "confidence", "size"):
            value = getattr(got, name)
            if want[name] == "":
                assert math.isnan(value)
            else:
                assert value == float(want[name]), (row["timestamp"], name)
        assert got.signal == int(want["signal"])


def test_window_and_refusals(setup):
    model_path, candles_path, _ = setup
    model = modelc.Model(model_path)
    rows = [(unix(r["timestamp"]), r["open"], r["high"], r["low"], r["close"], r["volume"]) for r in csv.DictReader(open(candles_path))]
    stream = model.stream()
    for r in rows:
        last = stream.push(r)
    window = model.score_window(rows)  # a fresh stream fed the same candles
    assert window.ready == 1 and window.p_long == last.p_long and window.signal == last.signal
    fresh = model.stream()
    with pytest.raises(modelc.ModelcError) as e:
        fresh.push((rows[0][0], "nan", rows[0][2], rows[0][3], rows[0][4], rows[0][5]))
    assert e.value.code == 14 and "open" in str(e.value)
