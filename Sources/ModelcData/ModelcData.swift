// ModelcData: candle input (OHLCV CSV and HDF5) and its validation. Imports ModelcRuntime only
// for the feature engine's candle type; nothing above the format layer.
