extension ComponentDefinition {
    /// The loader's checks of a component as a whole, once its parts are read, so that every
    /// component of a model that opens can be scored: it has members, their weights are finite,
    /// >= 0 and sum to a finite positive number, it reads at least one timestep, and its tree
    /// members agree (`validateTreeMembers`).
    func validate() throws(ModelcError) {
        guard !members.isEmpty else { throw ModelcError(.invalidModel, "component '\(name)' has no members") }
        var total = 0.0
        for (m, w) in memberWeights.enumerated() {
            guard w.isFinite, w >= 0 else {
                throw ModelcError(.invalidModel, "component '\(name)', member \(m): weight must be finite and >= 0")
            }
            total += w
        }
        guard total > 0, total.isFinite else {
            throw ModelcError(.invalidModel, "component '\(name)': member weights must sum to a finite positive number")
        }
        guard window >= 1 else { throw ModelcError(.invalidModel, "component '\(name)': input.window must be >= 1") }
        try validateTreeMembers()
    }
}
