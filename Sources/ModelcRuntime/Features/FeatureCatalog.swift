/// The standard feature sets (Spec.md, "Features"): names, kinds and default parameters.
/// The 19 base features feed the LONG network and the trees; the SHORT (crash) network adds 4.
public enum FeatureCatalog {
    public static let base: [FeatureDefinition] = [
        .init(name: "log_return_1", kind: .logReturn, params: [1]),
        .init(name: "log_return_3", kind: .logReturn, params: [3]),
        .init(name: "log_return_5", kind: .logReturn, params: [5]),
        .init(name: "log_return_10", kind: .logReturn, params: [10]),
        .init(name: "volatility_10", kind: .volatility, params: [10]),
        .init(name: "volatility_20", kind: .volatility, params: [20]),
        .init(name: "rsi_14", kind: .rsi, params: [14]),
        .init(name: "macd_12_26", kind: .macd, params: [12, 26]),
        .init(name: "bollinger_width_20", kind: .bollingerWidth, params: [20, 2]),
        .init(name: "atr_14", kind: .atr, params: [14]),
        .init(name: "volume_ratio_20", kind: .volumeRatio, params: [20]),
        .init(name: "ema_distance_9", kind: .emaDistance, params: [9]),
        .init(name: "ema_distance_21", kind: .emaDistance, params: [21]),
        .init(name: "ema_distance_50", kind: .emaDistance, params: [50]),
        .init(name: "body_ratio", kind: .bodyRatio, params: []),
        .init(name: "zscore_20", kind: .zscore, params: [20]),
        .init(name: "log_volume", kind: .logVolume, params: []),
        .init(name: "hour_of_day", kind: .hourOfDay, params: []),
        .init(name: "day_of_week", kind: .dayOfWeek, params: []),
    ]

    public static let crash: [FeatureDefinition] = [
        .init(name: "crash_velocity_24", kind: .crashVelocity, params: [24]),
        .init(name: "sell_pressure_10", kind: .sellPressure, params: [10, 20]),
        .init(name: "rsi_momentum_14_3", kind: .rsiMomentum, params: [14, 3]),
        .init(name: "structural_breakdown_10", kind: .structuralBreakdown, params: [10]),
    ]

    /// The 19 base features followed by the 4 crash features (the SHORT network's input).
    public static let all: [FeatureDefinition] = base + crash

    /// Candles of a gap-free run consumed before the first feature row.
    public static let defaultWarmup = 100
}
