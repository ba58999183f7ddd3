/// Near matches for a metric name a gate got wrong, so a typo or a short name (`blend.auc` for
/// `long/blend.auc`) gets a few candidates instead of the card's ~180 names.
enum MetricSuggestions {
    /// At most `limit` of `known`: names that end with `/<name>` first (shortest first), then
    /// names within a small edit distance (closest first).
    static func suggestions(for name: String, among known: [String], limit: Int = 3) -> [String] {
        let suffixed = known.filter { $0.hasSuffix("/" + name) }.sorted { ($0.count, $0) < ($1.count, $1) }
        if !suffixed.isEmpty { return Array(suffixed.prefix(limit)) }
        let target = Array(name.lowercased())
        let allowed = max(2, target.count / 4)
        return known.map { ($0, distance(target, Array($0.lowercased()))) }
            .filter { $0.1 <= allowed }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .prefix(limit).map(\.0)
    }

    /// Levenshtein distance (insertions, deletions, substitutions).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The refusal text: what is missing, and what was probably meant.
    static func missing(_ name: String, in what: String, known: [String]) -> String {
        guard !known.isEmpty else { return "\(what) has no metric \(name) (its model card has no metrics)" }
        let near = suggestions(for: name, among: known)
        let hint = near.isEmpty ? "" : "; did you mean \(near.joined(separator: ", "))?"
        return "\(what) has no metric \(name)\(hint) (`modelc registry show` lists its \(known.count) metrics)"
    }
}
