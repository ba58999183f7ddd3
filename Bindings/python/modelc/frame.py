"""Scoring a pandas DataFrame of candles: one stream per symbol, one runtime call per stream."""
import ctypes

from ._arrays import candle_dtype, optional, score_dtype
from ._library import Candle, ModelcError, Score, error_buffer, lib

PRICES = ("open", "high", "low", "close", "volume")
SCORES = ("p_long", "p_short", "p_up")
DECISION = ("confidence", "signal", "size", "ready")
NOT_WRITTEN = -(2 ** 63)  # a score timestamp the runtime never writes: marks the candle it refused


def score_frame(model, df):
    """See Model.score_frame."""
    pd = optional("pandas", "Model.score_frame")
    np = optional("numpy", "Model.score_frame")
    seconds = _timestamps(df, pd, np)
    candles = np.empty(len(df), candle_dtype(np))
    candles["timestamp"] = seconds
    for name in PRICES:
        candles[name] = _prices(df, name, np)
    names = [c.name for c in model.components]
    scores = np.empty(len(df), score_dtype(np))
    probabilities = np.empty((len(df), len(names)), np.float64)
    symbols = df["symbol"] if "symbol" in df.columns else None
    for symbol, rows in _streams(df, symbols, pd, np):
        _check_order(df, seconds, rows, symbol, np)
        if rows[-1] - rows[0] + 1 == len(rows):  # one block of rows (the usual frame): scored in place
            at = slice(int(rows[0]), int(rows[-1]) + 1)
            _push_many(model, candles[at], scores[at], probabilities[at], df.index[at], symbol)
            continue
        part, out, p = candles[rows], np.empty(len(rows), scores.dtype), np.empty((len(rows), len(names)))
        _push_many(model, part, out, p, df.index[rows], symbol)
        scores[rows], probabilities[rows] = out, p
    result = {"timestamp": pd.to_datetime(seconds, unit="s", utc=True)}
    if symbols is not None:
        result["symbol"] = symbols.array  # as the frame holds it (no conversion to objects and back)
    for name in SCORES:
        result[name] = scores[name]
    for i, name in enumerate(names):
        result[name if name not in result and name not in DECISION else f"{name} (component)"] = probabilities[:, i]
    for name in DECISION:
        result[name] = scores[name].astype(bool) if name == "ready" else scores[name]
    return pd.DataFrame(result, index=df.index)


def _timestamps(df, pd, np):
    """Unix seconds of each row, from `timestamp` (modelc's CSV: unix seconds, ISO text or
    datetimes) or `date` (freqtrade: datetime64). Naive datetimes are taken as UTC."""
    column = "timestamp" if "timestamp" in df.columns else "date" if "date" in df.columns else None
    if column is None:
        raise ValueError(f"the frame has no 'timestamp' column (modelc's CSV) or 'date' column (freqtrade); "
                         f"its columns: {', '.join(map(str, df.columns))}")
    values = df[column]
    if pd.api.types.is_integer_dtype(values.dtype):
        seconds = values.to_numpy(np.int64)
        if len(seconds) and seconds.max() >= 10 ** 11:
            raise ValueError(f"column '{column}': integers are read as unix seconds, and {seconds.max()} would be "
                             "after the year 5000; convert milliseconds with pandas.to_datetime(..., unit='ms')")
        return seconds
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        try:
            values = pd.to_datetime(values, utc=True, format="ISO8601")
        except (ValueError, TypeError) as e:
            raise ValueError(f"column '{column}': not ISO 8601 times ({e})") from None
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        raise TypeError(f"column '{column}': dtype {values.dtype} is neither datetimes, ISO text nor unix seconds")
    if getattr(values.dtype, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    times = values.to_numpy()
    _refuse(df, np.isnat(times), f"column '{column}'", "has no time (NaT)")
    seconds = times.astype("datetime64[s]")
    _refuse(df, seconds != times, f"column '{column}'", "is not a whole second")
    return seconds.astype(np.int64)


def _prices(df, name, np):
    if name not in df.columns:
        raise ValueError(f"the frame has no '{name}' column; its columns: {', '.join(map(str, df.columns))}")
    column = df[name]
    if column.dtype.kind not in "fiu":
        raise TypeError(f"column '{name}': dtype {column.dtype} is not numeric")
    values = column.to_numpy(np.float64)
    _refuse(df, np.isnan(values), f"column '{name}'", "is NaN")
    return values


def _refuse(df, bad, what, problem):
    if bad.any():
        i = int(bad.argmax())
        raise ValueError(f"{what}, row {_label(df.index[i])!r}: {problem}")


def _label(index_value):
    """A row's index label as Python shows it (2, not np.int64(2))."""
    return index_value.item() if hasattr(index_value, "item") else index_value


def _streams(df, symbols, pd, np):
    """(symbol, row positions) of each stream: all rows, or each symbol's rows in frame order."""
    if symbols is None:
        yield None, np.arange(len(df))
        return
    codes, names = pd.factorize(symbols, sort=False)
    _refuse(df, codes < 0, "column 'symbol'", "has no symbol")
    order = np.argsort(codes, kind="stable")
    for k, rows in enumerate(np.split(order, np.cumsum(np.bincount(codes, minlength=len(names)))[:-1])):
        yield names[k], rows


def _check_order(df, seconds, rows, symbol, np):
    """A stream takes candles in time order, one per timestamp: refuse rather than sort."""
    t = seconds[rows]
    bad = np.flatnonzero(t[1:] <= t[:-1])
    if len(bad):
        i = bad[0]
        was, now = _label(df.index[rows[i]]), _label(df.index[rows[i + 1]])
        problem = "repeats the timestamp of" if t[i + 1] == t[i] else "is before"
        where = "" if symbol is None else f"symbol {symbol!r}, "
        raise ValueError(f"{where}row {now!r} (t={t[i + 1]}) {problem} row {was!r} (t={t[i]}): "
                         "rows must be in time order, one per timestamp")


def _push_many(model, candles, out, probabilities, labels, symbol):
    """One fresh stream fed `candles` by one mc_stream_push_many call."""
    stream = model.stream()
    out["timestamp"] = NOT_WRITTEN
    err = error_buffer()
    code = lib.mc_stream_push_many(stream._handle, candles.ctypes.data_as(ctypes.POINTER(Candle)), len(candles),
                                   out.ctypes.data_as(ctypes.POINTER(Score)),
                                   probabilities.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), err, len(err))
    if code != 0:
        refused = int((out["timestamp"] == NOT_WRITTEN).argmax())
        where = "" if symbol is None else f"symbol {symbol!r}, "
        raise ModelcError(code, f"{where}row {_label(labels[refused])!r}: {err.value.decode('utf-8', 'replace')}")
