"""ModelcStrategy (Bindings/python/examples/freqtrade) in the real freqtrade from PyPI, offline.

The README's guide, step by step: freqtrade's JSON data handler writes the bundled candles into a
user_data folder, `modelc build` builds the example model.yaml on that folder, and freqtrade loads
the strategy with the example config.json. The reference is `modelc score` (the CLI, which never
goes through the Python binding) on the files freqtrade wrote. Backtesting runs freqtrade's own
engine; its exchange would download Binance's markets at start, so they are given here as a local
definition instead (the one thing that is not what a user's run does)."""
import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from freqtrade.configuration import Configuration
from freqtrade.data.history import get_datahandler, load_pair_history
from freqtrade.enums import CandleType, RunMode
from freqtrade.exceptions import OperationalException
from freqtrade.optimize.backtesting import Backtesting
from freqtrade.resolvers import ExchangeResolver, StrategyResolver

import modelc

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "Models" / "data"
EXAMPLE = ROOT / "Bindings" / "python" / "examples" / "freqtrade"
MODELC = os.environ.get("MODELC_BIN", str(ROOT / ".build" / "debug" / "modelc"))
PAIRS = {"BTC/USDT": "BTCUSDT", "ETH/USDT": "ETHUSDT"}
HOUR = timedelta(hours=1)
BACKTEST_FROM = pd.Timestamp("2025-09-01", tz="UTC")
AMOUNT_STEP = 1e-8  # the local markets' amount precision: a trade's stake is rounded down by at most this × price


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A user_data folder as `freqtrade download-data --data-format-ohlcv json` leaves it, the
    example model built on it, and `modelc score` on its files (per pair, indexed by open time)."""
    root = tmp_path_factory.mktemp("freqtrade")
    datadir = root / "user_data" / "data" / "binance"
    datadir.mkdir(parents=True)
    handler = get_datahandler(datadir, "json")
    for pair, name in PAIRS.items():
        candles = pd.read_csv(DATA / f"{name}_1h_recent.csv").rename(columns={"timestamp": "date"})
        handler.ohlcv_store(pair, "1h", candles.assign(date=pd.to_datetime(candles["date"], utc=True)), CandleType.SPOT)
    shutil.copy(EXAMPLE / "model.yaml", root)
    artifact = root / "user_data" / "models" / "freqtrade-example.modelc"
    subprocess.run([MODELC, "build", str(root / "model.yaml"), "-o", str(artifact)], check=True, capture_output=True)
    files = {pair: datadir / f"{pair.replace('/', '_')}-1h.json" for pair in PAIRS}
    subprocess.run([MODELC, "score", str(artifact), *map(str, files.values()), "-o", str(root / "scores.csv")],
                   check=True, capture_output=True)
    scores = pd.read_csv(root / "scores.csv")
    scores["date"] = pd.to_datetime(scores["timestamp"], utc=True)
    reference = {pair: scores[scores["file"] == str(path)].set_index("date") for pair, path in files.items()}
    return root, artifact, reference


def freqtrade_config(workspace, *, section=None, markets=None, trading_mode="spot"):
    """The example config.json with the built artifact, read by freqtrade's Configuration."""
    root, artifact, _ = workspace
    config = json.loads((EXAMPLE / "config.json").read_text())
    config["modelc"] = section if section is not None else {"artifact": str(artifact)}
    if markets:
        config["exchange"]["ccxt_config"] = {"markets": markets}
    if trading_mode != "spot":
        config.update(trading_mode=trading_mode, margin_mode="isolated")
    path = root / f"config-{len(list(root.glob('config-*.json')))}.json"
    path.write_text(json.dumps(config))
    return Configuration({"config": [str(path)], "strategy_path": str(EXAMPLE), "user_data_dir": str(root / "user_data"),
                          "datadir": str(root / "user_data" / "data" / "binance"), "timerange": "20250901-",
                          "export": "none"}, RunMode.BACKTEST).get_config()


def analysed(strategy, workspace, pair):
    """The pair's candles as freqtrade loads them, through the strategy's indicators and signals."""
    candles = load_pair_history(pair, "1h", workspace[0] / "user_data" / "data" / "binance", data_format="json")
    assert len(candles) == 9000
    frame = strategy.ft_advise_signals(strategy.advise_all_indicators({pair: candles})[pair], {"pair": pair})
    return frame.set_index("date")


def test_signals_and_sizes_are_modelc_scores(workspace):
    strategy = StrategyResolver.load_strategy(freqtrade_config(workspace))
    for pair, want in workspace[2].items():
        assert strategy.startup_candle_count == int(want["ready"].to_numpy().argmax())  # candles before the first score
        assert {-1, 0, 1} <= set(want["signal"]) and want["size"].nunique() > 5  # the comparison covers trades
        got = analysed(strategy, workspace, pair)
        assert got.index.equals(want.index)
        assert (got["modelc_signal"].to_numpy() == want["signal"].to_numpy()).all(), pair
        assert np.array_equal(got["modelc_size"].to_numpy().view(np.int64), want["size"].to_numpy().view(np.int64)), pair
        assert (got["modelc_ready"].to_numpy() == want["ready"].astype(bool).to_numpy()).all(), pair
        assert (got["enter_long"] == (want["signal"] == 1)).all() and (got["exit_long"] == (want["signal"] != 1)).all()
        assert "enter_short" not in got or got["enter_short"].fillna(0).sum() == 0  # spot: freqtrade cannot short


def test_futures_mode_also_trades_short_signals(workspace):
    strategy = StrategyResolver.load_strategy(freqtrade_config(workspace, trading_mode="futures"))
    assert strategy.can_short
    want = workspace[2]["BTC/USDT"]
    got = analysed(strategy, workspace, "BTC/USDT")
    assert (got["enter_short"] == (want["signal"] == -1)).all() and (got["exit_short"] == (want["signal"] != -1)).all()
    assert (got["enter_long"] == (want["signal"] == 1)).all()


def market(base):
    """A spot market shaped as ccxt returns Binance's (what freqtrade would download at start)."""
    return {"id": f"{base}USDT", "symbol": f"{base}/USDT", "base": base, "quote": "USDT", "baseId": base,
            "quoteId": "USDT", "type": "spot", "spot": True, "margin": False, "swap": False, "future": False,
            "option": False, "contract": False, "active": True, "precision": {"amount": AMOUNT_STEP, "price": 0.01},
            "limits": {"amount": {"min": AMOUNT_STEP, "max": 9000.0}, "price": {"min": 0.01, "max": 1e6},
                       "cost": {"min": 5.0, "max": None}, "leverage": {"min": None, "max": None}},
            "taker": 0.001, "maker": 0.001}


def expected_trades(reference, end):
    """The trades the artifact's signals make, replayed from `modelc score`: a trade opens at the
    candle after a LONG signal, is sized stake_amount × that signal's size, and closes at the
    candle after the first signal that is not LONG (or at the last candle)."""
    trades = []
    for pair, scores in reference.items():
        open_trade = None
        for date in scores.index[scores.index >= BACKTEST_FROM]:
            previous = scores.loc[date - HOUR]
            if open_trade and previous["signal"] != 1:
                trades.append({**open_trade, "close_date": date, "exit_reason": "exit_signal"})
                open_trade = None
            elif not open_trade and previous["signal"] == 1:
                open_trade = {"pair": pair, "open_date": date, "stake": 1000 * previous["size"]}
        if open_trade:
            trades.append({**open_trade, "close_date": end, "exit_reason": "force_exit"})
    return pd.DataFrame(trades).sort_values(["open_date", "pair"], ignore_index=True)


def test_offline_backtest_trades_the_signals_with_the_artifacts_stakes(workspace):
    config = freqtrade_config(workspace, markets={pair: market(pair.split("/")[0]) for pair in PAIRS})
    exchange = ExchangeResolver.load_exchange(config, validate=False)  # validate: would download the markets
    exchange._markets = exchange._api.markets  # what its download would have set: ccxt read them from the config
    backtesting = Backtesting(config, exchange=exchange)
    data, timerange = backtesting.load_bt_data()
    backtesting.backtest_one_strategy(backtesting.strategylist[0], data, timerange)
    got = backtesting.all_bt_content["ModelcStrategy"]["results"].sort_values(["open_date", "pair"], ignore_index=True)
    want = expected_trades(workspace[2], end=max(frame["date"].max() for frame in data.values()))
    assert len(want) > 20 and want["stake"].nunique() > 1  # trades of several sizes
    assert list(got["pair"]) == list(want["pair"])
    assert list(got["open_date"]) == list(want["open_date"]) and list(got["close_date"]) == list(want["close_date"])
    assert list(got["exit_reason"]) == list(want["exit_reason"])
    rounding = AMOUNT_STEP * got["open_rate"]
    assert ((got["stake_amount"] <= want["stake"] + 1e-9) & (got["stake_amount"] >= want["stake"] - rounding)).all()


@pytest.mark.parametrize("section, message", [
    ({}, 'give one of "artifact" (a .modelc path) or "alias"'),
    ({"artifact": "a.modelc", "alias": "m@production"}, 'give one of "artifact"'),
    ({"artifact": "a.modelc", "path": "b"}, "unknown key 'path' (keys: artifact, alias, registry, trusted_keys)"),
    ({"alias": "m@production"}, 'config "modelc.alias" needs "registry"'),
    ({"artifact": "no/such.modelc"}, 'config "modelc.artifact": [Errno 2] No such file or directory'),
    ({"artifact": str(ROOT / "Models" / "quickstart.yaml")}, f'config "modelc.artifact": {ROOT}/Models/quickstart.yaml:'),
])
def test_bad_modelc_config_is_named(workspace, section, message):
    with pytest.raises(OperationalException) as e:
        StrategyResolver.load_strategy(freqtrade_config(workspace, section=section))
    assert message in str(e.value)


def test_the_artifact_loads_by_registry_alias_with_a_trusted_key(workspace, tmp_path):
    """The built artifact, signed and pushed by the CLI, set as production: the strategy opens
    demo@production with the release key and scores as the file does; a key the signer does not
    hold is refused, naming the config key."""
    root, artifact, reference = workspace
    for name in ("release", "stranger"):
        subprocess.run([MODELC, "keys", "generate", "--out", str(tmp_path / "keys"), "--name", name], check=True, capture_output=True)
    subprocess.run([MODELC, "sign", str(artifact), "--key", str(tmp_path / "keys" / "release.key"), "-o", str(tmp_path / "signed.modelc")],
                   check=True, capture_output=True)
    registry = tmp_path / "registry"
    for args in (["push", str(tmp_path / "signed.modelc"), "--name", "example"], ["alias", "set", "example", "1", "production"]):
        subprocess.run([MODELC, "registry", *args, "--registry", str(registry)], check=True, capture_output=True)
    section = {"alias": "example@production", "registry": str(registry), "trusted_keys": [str(tmp_path / "keys" / "release.pub")]}
    strategy = StrategyResolver.load_strategy(freqtrade_config(workspace, section=section))
    assert (strategy.model.registry_version.name, strategy.model.registry_version.version) == ("example", 1)
    got, want = analysed(strategy, workspace, "ETH/USDT"), reference["ETH/USDT"]
    assert (got["modelc_signal"].to_numpy() == want["signal"].to_numpy()).all()
    section["trusted_keys"] = [str(tmp_path / "keys" / "stranger.pub")]
    with pytest.raises(OperationalException) as e:
        StrategyResolver.load_strategy(freqtrade_config(workspace, section=section))
    assert 'config "modelc.alias"' in str(e.value) and "which is not a trusted key" in str(e.value)


def test_candles_freqtrade_fills_a_gap_with_stay_unscored(workspace, tmp_path):
    """Five hours cut from the BTC file: freqtrade's loader fills them with flat candles; the
    strategy leaves those flat and scores the real candles as `modelc score` does on the file
    with the gap (warm-up again after it)."""
    root, artifact, _ = workspace
    candles = pd.read_csv(DATA / "BTCUSDT_1h_recent.csv").rename(columns={"timestamp": "date"})
    candles["date"] = pd.to_datetime(candles["date"], utc=True)
    datadir = tmp_path / "binance"
    datadir.mkdir()
    get_datahandler(datadir, "json").ohlcv_store("BTC/USDT", "1h", candles.drop(range(4000, 4005)).reset_index(drop=True),
                                                  CandleType.SPOT)
    subprocess.run([MODELC, "score", str(artifact), str(datadir / "BTC_USDT-1h.json"), "-o", str(tmp_path / "scores.csv")],
                   check=True, capture_output=True)
    want = pd.read_csv(tmp_path / "scores.csv")
    want = want.set_index(pd.to_datetime(want["timestamp"], utc=True).rename("date"))
    loaded = load_pair_history("BTC/USDT", "1h", datadir, data_format="json")
    assert len(loaded) == len(candles)  # freqtrade filled the five hours back in
    strategy = StrategyResolver.load_strategy(freqtrade_config(workspace))
    got = strategy.advise_all_indicators({"BTC/USDT": loaded})["BTC/USDT"].set_index("date")
    filled = got.index.difference(want.index)
    assert len(filled) == 5
    assert (got.loc[filled, "modelc_signal"] == 0).all() and not got.loc[filled, "modelc_ready"].any()
    assert (got.loc[filled, "modelc_size"] == 0).all()
    real = got.loc[want.index]
    ready = want["ready"].astype(bool).to_numpy()
    assert not ready[4000:4000 + strategy.startup_candle_count].any() and ready[4000 + strategy.startup_candle_count:].all()
    assert (real["modelc_ready"].to_numpy() == ready).all()
    assert (real["modelc_signal"].to_numpy() == want["signal"].to_numpy()).all()
    assert np.array_equal(real["modelc_size"].to_numpy().view(np.int64), want["size"].to_numpy().view(np.int64))
