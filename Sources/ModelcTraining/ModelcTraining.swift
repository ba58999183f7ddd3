// ModelcTraining: labels, purged walk-forward splits, the GBDT and LSTM trainers, metrics and
// the backtest. Knows nothing of the compiler; ModelcPipeline joins the two.
