"""Model.score_frame gives the same bits as pushing the same candles through Stream.push one by
one (the reference), on the bundled candles and built artifacts; bad frames are refused by name."""
import math
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import modelc
from modelc._arrays import optional

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "Models" / "data"
MODELC = os.environ.get("MODELC_BIN", str(ROOT / ".build" / "debug" / "modelc"))


@pytest.fixture(scope="module", params=["demo", "calibrated-isotonic"])
def model(request, tmp_path_factory):
    if request.param == "demo":
        path = tmp_path_factory.mktemp("frame") / "demo.modelc"
        subprocess.run([MODELC, "demo", "-o", str(path)], check=True, capture_output=True)
    else:
        path = ROOT / "Tests" / "Golden" / "calibrated-isotonic.modelc"
    return modelc.Model(path)


def candles(name, rows):
    return pd.read_csv(DATA / f"{name}_1h_recent.csv").tail(rows).reset_index(drop=True)


def unix(text):
    return int(pd.Timestamp(text).timestamp())


def reference(model, frame):
    """Per-candle Stream.push: the score fields and each component's probability, per row."""
    stream = model.stream()
    rows = []
    for r in frame.itertuples():
        s = stream.push((unix(r.timestamp), r.open, r.high, r.low, r.close, r.volume))
        rows.append({"ts": s.timestamp, "p_long": s.p_long, "p_short": s.p_short, "p_up": s.p_up,
                     **stream.component_probabilities(), "confidence": s.confidence, "signal": s.signal,
                     "size": s.size, "ready": bool(s.ready)})
    return pd.DataFrame(rows, index=frame.index)


def assert_same_bits(got, want):
    assert list((got["timestamp"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)) == list(want["ts"])
    for column in want.columns.drop("ts"):
        a, b = got[column].to_numpy(), want[column].to_numpy()
        if a.dtype.kind == "f":
            assert np.array_equal(a.view(np.int64), b.astype(np.float64).view(np.int64)), column
        else:
            assert (a == b).all(), column
    assert want["ready"].sum() > 100  # the comparison covers scored candles, not only warm-up


def test_frame_equals_stream_push(model):
    frame = candles("BTCUSDT", 800)
    got = model.score_frame(frame)
    assert list(got.columns) == (["timestamp", "p_long", "p_short", "p_up"] + [c.name for c in model.components]
                                 + ["confidence", "signal", "size", "ready"])
    assert_same_bits(got, reference(model, frame))


def test_symbol_column_gives_one_stream_per_symbol(model):
    btc, eth = candles("BTCUSDT", 700).assign(symbol="BTC/USDT"), candles("ETHUSDT", 600).assign(symbol="ETH/USDT")
    both = pd.concat([btc, eth]).sort_values("timestamp", kind="stable").reset_index(drop=True)
    got = model.score_frame(both)
    assert list(got["symbol"]) == list(both["symbol"])
    for symbol, part in both.groupby("symbol"):
        assert_same_bits(got.loc[part.index], reference(model, part))


def test_freqtrade_date_column(model):
    frame = candles("ETHUSDT", 700)
    freqtrade = frame.drop(columns="timestamp").assign(date=pd.to_datetime(frame["timestamp"], utc=True))
    seconds = frame.assign(timestamp=[unix(t) for t in frame["timestamp"]])
    want = model.score_frame(frame)
    for other in (freqtrade, seconds):
        pd.testing.assert_frame_equal(model.score_frame(other), want)


@pytest.mark.parametrize("change, message", [
    (lambda f: f.drop(columns="volume"), "no 'volume' column"),
    (lambda f: f.rename(columns={"timestamp": "time"}), "no 'timestamp' column"),
    (lambda f: f.assign(close=f["close"].where(f.index != 2)), "column 'close', row 2: is NaN"),
    (lambda f: f.assign(open=f["open"].astype(str)), "column 'open': dtype"),
    (lambda f: f.iloc[[0, 2, 1, 3]], "row 1 (t=1763240400) is before row 2 (t=1763244000)"),
    (lambda f: f.iloc[[0, 1, 1, 2]].reset_index(drop=True), "row 2 (t=1763240400) repeats the timestamp of row 1"),
    (lambda f: f.assign(timestamp=[unix(t) * 1000 for t in f["timestamp"]]), "convert milliseconds"),
    (lambda f: f.assign(timestamp="yesterday"), "column 'timestamp': not ISO 8601"),
    (lambda f: f.assign(symbol=["A", "B", "A", "B"], high=[f["low"][0] / 2, *f["high"][1:]]), "symbol 'A', row 0: candle 0"),
    (lambda f: f.assign(symbol=["A", "B", "A", "B"], timestamp=f["timestamp"][[0, 1, 0, 3]].to_numpy()),
     "symbol 'A', row 2 (t=1763236800) repeats the timestamp of row 0"),
])
def test_bad_frames_are_refused_by_name(model, change, message):
    frame = pd.read_csv(DATA / "BTCUSDT_1h_recent.csv").tail(4).reset_index(drop=True)
    with pytest.raises((ValueError, TypeError, modelc.ModelcError)) as e:
        model.score_frame(change(frame))
    assert message in str(e.value)


def test_missing_optional_dependency_is_named():
    with pytest.raises(ImportError, match="score_frame needs no_such_module: pip install no_such_module"):
        optional("no_such_module", "Model.score_frame")
