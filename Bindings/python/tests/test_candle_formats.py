"""Issue #21: candles from where users get them. The real pandas writes the bundled BTCUSDT candles
as freqtrade does (to_csv of its frame, to_json(orient="values") gzipped or not), as Binance's kline
files (no header or header, milliseconds or microseconds) and as a ccxt fetch_ohlcv list;
`modelc data check` and `modelc features` must read each to the same candles as the CSV they came
from: the same summary, and byte-identical feature rows."""
import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[3]
MODELC = os.environ.get("MODELC_BIN", str(ROOT / ".build" / "debug" / "modelc"))
SOURCE = ROOT / "Models" / "data" / "BTCUSDT_1h_recent.csv"
EPOCH = pd.Timestamp("1970-01-01", tz="UTC")


def modelc(*args) -> str:
    r = subprocess.run([MODELC, *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, f"modelc {' '.join(map(str, args))}: {r.stdout}{r.stderr}"
    return r.stdout


def frame() -> pd.DataFrame:
    """The bundled candles as freqtrade holds them: date (UTC datetimes), open, high, low, close, volume."""
    df = pd.read_csv(SOURCE)
    df.insert(0, "date", pd.to_datetime(df.pop("timestamp"), utc=True))
    return df


def milliseconds(dates: pd.Series) -> pd.Series:
    return (dates - EPOCH) // pd.Timedelta(milliseconds=1)


def freqtrade_json(path: Path, compression=None):
    """What freqtrade's JsonDataHandler.ohlcv_store writes: dates as unix ms, then to_json(orient="values")."""
    data = frame()
    data["date"] = milliseconds(data["date"])
    data.reset_index(drop=True).to_json(path, orient="values", compression=compression)


def binance_klines(unit: int) -> pd.DataFrame:
    """Binance's 12 kline columns; open and close times in units of 1/unit s (1000: ms, 10**6: µs since 2025)."""
    data = frame()
    start = milliseconds(data.pop("date")) * (unit // 1000)
    data.insert(0, "open_time", start)
    data["close_time"] = start + 3600 * unit - 1
    data["quote_volume"] = data["close"] * data["volume"]
    data["count"] = 1000
    data["taker_buy_volume"] = data["volume"] / 2
    data["taker_buy_quote_volume"] = data["quote_volume"] / 2
    data["ignore"] = 0
    return data


WRITERS = {
    "pandas to_csv (freqtrade frame)": ("BTC_USDT-1h.csv", lambda p: frame().to_csv(p)),
    "freqtrade json": ("BTC_USDT-1h.json", lambda p: freqtrade_json(p)),
    "freqtrade jsongz": ("BTC_USDT-1h.jsongz", lambda p: freqtrade_json(p, compression="gzip")),
    "binance klines, no header, ms": ("BTCUSDT-1h-ms.csv", lambda p: binance_klines(1000).to_csv(p, header=False, index=False)),
    "binance klines, no header, µs": ("BTCUSDT-1h-us.csv", lambda p: binance_klines(10**6).to_csv(p, header=False, index=False)),
    "binance klines, header": ("BTCUSDT-1h-header.csv", lambda p: binance_klines(1000).to_csv(p, index=False)),
    "ccxt fetch_ohlcv list": ("ohlcv.json", lambda p: p.write_text(json.dumps(
        [[int(t), *row] for t, row in zip(milliseconds(frame()["date"]), frame()[["open", "high", "low", "close", "volume"]].values.tolist())]))),
}

SHAPE = ["rows", "firstUnix", "lastUnix", "intervalSeconds", "gapCount", "missingCandles", "zeroVolumeCandles", "problemCount", "clean"]


def summary(path: Path) -> dict:
    (outcome,) = json.loads(modelc("data", "check", "--json", path))
    return outcome["summary"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference") / "features.csv"
    modelc("features", SOURCE, "-o", out)
    return summary(SOURCE), out.read_bytes()


@pytest.mark.parametrize("kind", WRITERS)
def test_pandas_written_candles_read_as_the_source(kind, reference, tmp_path):
    name, write = WRITERS[kind]
    path = tmp_path / name
    write(path)
    expected, features = reference
    got = summary(path)
    assert {k: got[k] for k in SHAPE} == {k: expected[k] for k in SHAPE}
    assert got["rows"] == 9000
    modelc("features", path, "-o", tmp_path / "features.csv")
    assert (tmp_path / "features.csv").read_bytes() == features


def test_pandas_default_json_is_refused_naming_the_orient(tmp_path):
    path = tmp_path / "frame.json"
    frame().head(3).to_json(path, date_format="iso")  # pandas' default orient="columns": an object
    r = subprocess.run([MODELC, "data", "check", str(path)], capture_output=True, text=True)
    assert r.returncode == 1
    assert "is a JSON object" in r.stdout and 'orient="values"' in r.stdout
