extension FeatureKind {
    /// The kind's name as Spec.md and error messages write it (Embedded Swift cannot print enums).
    public var label: String {
        switch self {
        case .logReturn: return "log_return"
        case .volatility: return "volatility"
        case .rsi: return "rsi"
        case .macd: return "macd"
        case .bollingerWidth: return "bollinger_width"
        case .atr: return "atr"
        case .volumeRatio: return "volume_ratio"
        case .emaDistance: return "ema_distance"
        case .bodyRatio: return "body_ratio"
        case .zscore: return "zscore"
        case .logVolume: return "log_volume"
        case .hourOfDay: return "hour_of_day"
        case .dayOfWeek: return "day_of_week"
        case .crashVelocity: return "crash_velocity"
        case .sellPressure: return "sell_pressure"
        case .rsiMomentum: return "rsi_momentum"
        case .structuralBreakdown: return "structural_breakdown"
        }
    }
}
