"""A freqtrade strategy that trades a modelc artifact's per-candle scores.

Put this folder on freqtrade's strategy path (`--strategy-path`, `--strategy ModelcStrategy`) and
name the artifact in freqtrade's config.json:

    "modelc": {"artifact": "user_data/models/freqtrade-example.modelc"}

Every candle freqtrade analyses goes through `modelc.Model.score_frame`, one fresh runtime stream
per pair: the same bits as `modelc score` on the same candles (live, on the latest candles
freqtrade holds). The flat candles freqtrade fills a gap with are left unscored (signal flat), and
scoring restarts its warm-up after the gap, as `modelc score` does on the file with the gap. The
artifact's signal is the position: LONG enters a long trade and any other signal exits it; SHORT
likewise for shorts, where freqtrade can short (futures or margin `trading_mode`). The stake of a
new trade is the stake freqtrade proposes times the artifact's size (in [0, max_position]) on the
signal candle, so with `"stake_amount": "unlimited"` a pair's trade uses that fraction of its share
of the wallet.
"""
from datetime import datetime

from pandas import DataFrame

import modelc
from freqtrade.exceptions import OperationalException
from freqtrade.strategy import IStrategy

LONG, SHORT = 1, -1
CONFIG_KEYS = ("artifact", "alias", "registry", "trusted_keys")


class ModelcStrategy(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"  # the artifact's candle interval; config.json's "timeframe" overrides it
    minimal_roi = {"0": 100.0}  # exits come from the artifact's signal, not from profit targets
    stoploss = -0.99  # no stop of freqtrade's own: the artifact's signal closes the trade
    use_exit_signal = True
    process_only_new_candles = True

    def __init__(self, config: dict) -> None:
        super().__init__(config)
        self.model = open_model(config)
        # Candles before the first score (the warmup_candles-th candle is the first scored):
        # freqtrade loads them ahead of the traded range.
        self.startup_candle_count = max(0, self.model.warmup_candles - 1)
        self.can_short = config.get("trading_mode", "spot") != "spot"

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        # The candles freqtrade made up to fill a gap are not market data: the model scores the
        # real ones, and restarts after a gap as `modelc score` does; a filled candle stays flat.
        real = ~filled_candles(dataframe)
        scores = self.model.score_frame(dataframe[real])
        for column, unscored in (("p_long", float("nan")), ("p_short", float("nan")), ("confidence", 0.0),
                                 ("signal", 0), ("size", 0.0), ("ready", False)):
            dataframe[f"modelc_{column}"] = scores[column].reindex(dataframe.index, fill_value=unscored)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["enter_long"] = (dataframe["modelc_signal"] == LONG).astype(int)
        if self.can_short:
            dataframe["enter_short"] = (dataframe["modelc_signal"] == SHORT).astype(int)
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = (dataframe["modelc_signal"] != LONG).astype(int)
        if self.can_short:
            dataframe["exit_short"] = (dataframe["modelc_signal"] != SHORT).astype(int)
        return dataframe

    def custom_stake_amount(self, pair: str, current_time: datetime, current_rate: float, proposed_stake: float,
                            min_stake: float | None, max_stake: float, leverage: float, entry_tag: str | None,
                            side: str, **kwargs) -> float:
        """proposed_stake × the artifact's size on the signal candle: the last analysed one, live
        and in backtesting (freqtrade slices the analysed frame up to it; the test checks this)."""
        frame, _ = self.dp.get_analyzed_dataframe(pair, self.timeframe)
        return proposed_stake * float(frame["modelc_size"].iloc[-1]) if len(frame) else 0.0


def filled_candles(dataframe: DataFrame):
    """The rows freqtrade's gap filling adds (ohlcv_fill_up_missing_data): no volume, and open,
    high, low and close all the previous close. A real candle with no trade looks the same and is
    left unscored too (a bot cannot tell them apart)."""
    previous = dataframe["close"].shift(1)
    return ((dataframe["volume"] == 0) & (dataframe["open"] == previous) & (dataframe["high"] == previous)
            & (dataframe["low"] == previous) & (dataframe["close"] == previous))


def open_model(config: dict) -> modelc.Model:
    """The artifact named by config.json's "modelc" section: "artifact" (a .modelc path), or
    "alias" (NAME@ALIAS, NAME@VERSION) in the registry folder "registry", its blob digest and
    signature checked before it is used; "trusted_keys" (.pub paths) then require a signature by
    one of them (Spec.md §12.5), otherwise the registry's own trusted keys apply."""
    section = config.get("modelc")
    if not isinstance(section, dict):
        raise OperationalException('ModelcStrategy: config.json needs a "modelc" section, e.g. '
                                   '"modelc": {"artifact": "user_data/models/model.modelc"}')
    unknown = sorted(set(section) - set(CONFIG_KEYS))
    if unknown:
        raise OperationalException(f'config "modelc": unknown key {unknown[0]!r} (keys: {", ".join(CONFIG_KEYS)})')
    if ("artifact" in section) == ("alias" in section):
        raise OperationalException('config "modelc": give one of "artifact" (a .modelc path) or "alias" '
                                   '(NAME@ALIAS, with "registry": its folder)')
    if "artifact" in section:
        try:
            return modelc.Model(section["artifact"])
        except (OSError, modelc.ModelcError) as e:
            raise OperationalException(f'config "modelc.artifact": {e}') from e
    if "registry" not in section:
        raise OperationalException('config "modelc.alias" needs "registry": the registry folder')
    try:
        return modelc.Model.open_registry(section["registry"], section["alias"], trusted_keys=section.get("trusted_keys"))
    except (OSError, modelc.ModelcError, modelc.RegistryError, modelc.SignatureError) as e:
        raise OperationalException(f'config "modelc.alias": {e}') from e
