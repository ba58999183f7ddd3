"""Issue #21: candles from where users get them. The real pandas writes the bundled BTCUSDT candles
as freqtrade does (to_csv of its frame, to_json(orient="values") gzipped or not, to_feather with
lz4 as its default feather handler), as Binance's kline files (no header or header, milliseconds or
microseconds) and as a ccxt fetch_ohlcv list, and the real pyarrow writes feather (Arrow IPC) files
uncompressed, zstd-compressed and in several record batches; `modelc data check` and `modelc
features` must read each to the same candles as the CSV they came from: the same summary, and
byte-identical feature rows. Feather files that are cut short, corrupt or hold what modelc cannot
read are refused naming the file and what is wrong."""
import gzip
import json
import os
import subprocess
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
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


def freqtrade_feather(path: Path, data=None, **options):
    """What freqtrade's FeatherDataHandler.ohlcv_store writes (compression="lz4" by default)."""
    data = frame() if data is None else data
    data.reset_index(drop=True).loc[:, ["date", "open", "high", "low", "close", "volume"]].to_feather(
        path, compression_level=9, compression="lz4", **options)


def with_unit(unit: str) -> pd.DataFrame:
    data = frame()
    data["date"] = data["date"].astype(f"datetime64[{unit}, UTC]")
    return data


def mixed_columns() -> pa.Table:
    """Columns of other layouts before the candles, so the reader must count their buffers right."""
    table = pa.Table.from_pandas(frame(), preserve_index=False)
    n = table.num_rows
    table = table.add_column(0, "note", pa.array([f"a string longer than twelve bytes {i}" for i in range(n)], type=pa.string_view()))
    table = table.add_column(1, "either", pa.UnionArray.from_sparse(
        pa.array([0, 1] * (n // 2), type=pa.int8()), [pa.array(range(n)), pa.array([str(i) for i in range(n)])]))
    table = table.add_column(2, "pairs", pa.array([[i, i + 1] for i in range(n)]))
    return table.add_column(3, "side", pa.array(["buy", "sell"] * (n // 2)).dictionary_encode())


WRITERS = {
    "freqtrade feather (lz4)": ("BTC_USDT-1h.feather", freqtrade_feather),
    "pandas to_feather, defaults": ("default.feather", lambda p: frame().to_feather(p)),
    "feather uncompressed, ns dates": ("plain.feather", lambda p: with_unit("ns").to_feather(p, compression="uncompressed")),
    "feather zstd, s dates": ("zstd.feather", lambda p: with_unit("s").to_feather(p, compression="zstd")),
    "feather, ms dates in 9 record batches": ("batches.feather", lambda p: feather.write_feather(
        pa.Table.from_pandas(with_unit("ms"), preserve_index=False), p, chunksize=1000)),
    "feather, int64 unix ms and extra columns": ("ints.feather", lambda p: frame().assign(
        date=milliseconds(frame()["date"]), pair="BTC/USDT", trades=7).to_feather(p)),
    "feather, view, union, list and dictionary columns first": ("mixed.feather", lambda p: feather.write_feather(
        mixed_columns(), p, chunksize=2000)),
    "feather gzipped": ("BTC_USDT-1h.feather.gz", lambda p: p.write_bytes(gzip.compress(feather_bytes(p)))),
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


def feather_bytes(path: Path) -> bytes:
    freqtrade_feather(path)
    return path.read_bytes()


def scores_without_file_column(path: Path, model: Path, out: Path) -> list:
    modelc("score", model, path, "-o", out)
    return [line.split(",", 1)[1] for line in out.read_text().splitlines()]


def test_freqtrade_feather_scores_as_the_csv(tmp_path):
    model = tmp_path / "demo.modelc"
    modelc("demo", "-o", model)
    path = tmp_path / "BTC_USDT-1h.feather"
    freqtrade_feather(path)
    expected = scores_without_file_column(SOURCE, model, tmp_path / "csv-scores.csv")
    assert scores_without_file_column(path, model, tmp_path / "feather-scores.csv") == expected
    assert len(expected) == 9001


def refusal(path: Path) -> str:
    r = subprocess.run([MODELC, "data", "check", str(path)], capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout.startswith(f"{path}: "), r.stdout
    return r.stdout.splitlines()[0]


def small() -> pd.DataFrame:
    return frame().head(48)


def table_bytes(table: pa.Table, **options) -> bytes:
    sink = pa.BufferOutputStream()
    feather.write_feather(table, sink, **options)
    return sink.getvalue().to_pybytes()


REFUSED = {
    "cut short": (lambda p: p.write_bytes(feather_bytes(p)[:5000]), "does not end with ARROW1"),
    "a corrupt footer": (lambda p: p.write_bytes(bad_footer_root(feather_bytes(p))), "footer is not a valid Arrow footer flatbuffer"),
    "a missing column": (lambda p: small().drop(columns="volume").to_feather(p), 'no "volume" column (any case) in the file\'s columns'),
    "text prices": (lambda p: small().astype({"open": str}).to_feather(p), 'utf8) is not numeric'),
    "a dictionary-encoded column": (lambda p: small().astype({"close": "category"}).to_feather(p),
                                    'column "close" (dictionary-encoded float64) is not numeric'),
    "times without a zone": (lambda p: small().assign(date=small()["date"].dt.tz_localize(None)).to_feather(p),
                             'column "date" (timestamp[us]) holds times without a time zone'),
    "feather v1": (lambda p: feather_v1(p), "is a feather v1 file"),
    "an Arrow stream": (lambda p: p.write_bytes(_stream(small())), "is an Apache Arrow IPC stream"),
    "parquet": (lambda p: small().to_parquet(p), 'is an Apache Parquet file; '),
}


def feather_v1(path: Path):
    with warnings.catch_warnings():  # pyarrow deprecates writing v1, which is the point here
        warnings.simplefilter("ignore", DeprecationWarning)
        feather.write_feather(small(), path, version=1)


def bad_footer_root(data: bytes) -> bytes:
    """The footer's root table offset (its first 4 bytes) pointed past the end of the file."""
    start = len(data) - 10 - int.from_bytes(data[-10:-6], "little")
    return data[:start] + (2**31 - 1).to_bytes(4, "little") + data[start + 4:]


def _stream(data: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(data, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


@pytest.mark.parametrize("kind", REFUSED)
def test_unreadable_feather_is_refused_by_name(kind, tmp_path):
    write, expected = REFUSED[kind]
    path = tmp_path / "BTC_USDT-1h.feather"
    write(path)
    assert expected in refusal(path)


def freqtrade_hdf5(path: Path):
    """What freqtrade's HDF5DataHandler.ohlcv_store writes (PyTables, blosc-compressed table)."""
    with warnings.catch_warnings():  # PyTables warns that the key is no Python identifier
        warnings.simplefilter("ignore")
        frame().reset_index(drop=True).loc[:, ["date", "open", "high", "low", "close", "volume"]].to_hdf(
            path, key="data/BTC_USDT-1h", mode="a", complevel=9, complib="blosc", format="table", data_columns=["date"])


@pytest.mark.parametrize("name, write", [("BTC_USDT-1h.parquet", lambda p: frame().to_parquet(p)),
                                         ("BTC_USDT-1h.h5", freqtrade_hdf5)])
def test_refusal_names_a_converter_that_works(name, write, tmp_path):
    """parquet and freqtrade's hdf5: the converter the message names, run as written, gives a
    feather file modelc reads to the source's candles."""
    source, converted = tmp_path / name, tmp_path / "OUT.feather"
    write(source)
    message = refusal(source)
    command = message.split("convert it with pandas: ")[1].split(" (Spec.md")[0]
    os.chdir(tmp_path)
    exec(command.replace('"IN"', repr(str(source))), {"pandas": pd})
    assert summary(converted)["lastUnix"] == summary(SOURCE)["lastUnix"]
    assert summary(converted)["rows"] == 9000


def test_a_null_price_is_a_problem_naming_its_row(tmp_path):
    path = tmp_path / "BTC_USDT-1h.feather"
    data = small()
    data.loc[4, "close"] = float("nan")  # pyarrow writes pandas' NaN as a null
    freqtrade_feather(path, data)
    r = subprocess.run([MODELC, "data", "check", "--json", str(path)], capture_output=True, text=True)
    assert r.returncode == 1
    (outcome,) = json.loads(r.stdout)
    assert outcome["summary"]["rows"] == 48
    assert [(p["row"], p["message"]) for p in outcome["summary"]["problems"]] == [(5, "close is null")]


def test_freqtrade_data_folder_builds_the_model_the_csvs_build(tmp_path):
    """`data.directory` on freqtrade's user_data/data/<exchange> of lz4 feather files builds a model
    that backtests (scores and trades) on its feather file exactly as the one built from the CSVs the
    files were written from does on its CSV."""
    folder = tmp_path / "user_data" / "data" / "binance"
    folder.mkdir(parents=True)
    sources = {s: ROOT / "Models" / "data" / f"{s}USDT_1h_recent.csv" for s in ["BTC", "ETH"]}
    for symbol, source in sources.items():
        data = pd.read_csv(source)
        data.insert(0, "date", pd.to_datetime(data.pop("timestamp"), utc=True))
        freqtrade_feather(folder / f"{symbol}_USDT-1h.feather", data)
    rest = """walk_forward: {train: 40d, test: 7d, windows: 1, holdout: 14d}
trees: {num_trees: 15, num_leaves: 5, early_stopping_rounds: 5}
networks: {long: {enabled: false}, short: {enabled: false}}
blend: {entry_threshold: 0.52, veto_threshold: 0.0}
"""
    configs = {
        "feather": f"name: m\ndata: {{directory: {folder}, symbols: [BTC/USDT, ETH/USDT], interval: 1h, from: 2025-06-01}}\n",
        "csv": f"name: m\ndata: {{files: [{sources['BTC']}, {sources['ETH']}], from: 2025-06-01}}\n",
    }
    candles = {"feather": folder / "BTC_USDT-1h.feather", "csv": sources["BTC"]}
    backtests = {}
    for kind, head in configs.items():
        (tmp_path / f"{kind}.yaml").write_text(head + rest)
        modelc("build", tmp_path / f"{kind}.yaml", "-o", tmp_path / f"{kind}.modelc")
        backtests[kind] = json.loads(modelc("backtest", tmp_path / f"{kind}.modelc", candles[kind], "--json"))
    assert backtests["feather"] == backtests["csv"]
    assert backtests["csv"]["trades"] > 0
