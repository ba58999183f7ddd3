import ModelcFormat

/// The blend the seeds describe (DESIGN.md, "Blend"): trees 0.6, specialist 0.4.
public enum BlendDefaults {
    public static func policy(direction: String, long: String, short: String) -> Modelc_BlendPolicy {
        var p = Modelc_BlendPolicy()
        p.directionComponent = direction
        p.longComponent = long
        p.shortComponent = short
        p.treeWeight = 0.6
        p.networkWeight = 0.4
        p.entryThreshold = 0.6
        p.vetoThreshold = 0.3
        p.kellyFraction = 0.25
        p.payoffRatio = 1.0
        p.maxPosition = 1.0
        return p
    }
}
