import Foundation

/// A promotion gate on a model-card metric: `METRIC OP BOUND`, where METRIC is
/// `<component>.<metric>` as in the card's overall metrics (e.g. `holdout/long/blend.auc`), OP
/// one of `>= <= > < ==`, and BOUND a number or `@ALIAS` (the same metric of the version that
/// alias holds, e.g. `long/blend.brier<@production`).
public struct MetricGate: Equatable, Sendable, CustomStringConvertible {
    public enum Comparison: String, Sendable, CaseIterable {
        case greaterOrEqual = ">="
        case lessOrEqual = "<="
        case equal = "=="
        case greater = ">"
        case less = "<"

        func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .greaterOrEqual: a >= b
            case .lessOrEqual: a <= b
            case .equal: a == b
            case .greater: a > b
            case .less: a < b
            }
        }
    }

    public enum Bound: Equatable, Sendable {
        case value(Double)
        case alias(String)
    }

    public var metric: String
    public var comparison: Comparison
    public var bound: Bound

    public init(metric: String, comparison: Comparison, bound: Bound) {
        self.metric = metric
        self.comparison = comparison
        self.bound = bound
    }

    public init(parsing text: String) throws(RegistryError) {
        guard let opStart = text.firstIndex(where: { "<>=".contains($0) }) else {
            throw .invalidGate(text, reason: "expected METRIC>=VALUE (operators >= <= > < ==), e.g. holdout/long/blend.auc>=0.55")
        }
        let rest = text[opStart...]
        guard let op = Comparison.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else {
            throw .invalidGate(text, reason: "unknown operator; use >=, <=, >, < or ==")
        }
        metric = text[..<opStart].trimmingCharacters(in: .whitespaces)
        comparison = op
        let value = rest.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces)
        guard !metric.isEmpty, metric.contains(".") else {
            throw .invalidGate(text, reason: "name the metric as <component>.<metric>, e.g. long/blend.auc")
        }
        if value.hasPrefix("@") {
            let alias = String(value.dropFirst())
            do throws(RegistryError) {
                try RegistryNames.checkAlias(alias)
            } catch {
                throw .invalidGate(text, reason: "\(error)")
            }
            bound = .alias(alias)
        } else if let number = Double(value), number.isFinite {
            bound = .value(number)
        } else {
            throw .invalidGate(text, reason: "'\(value)' is neither a finite number nor @ALIAS")
        }
    }

    public var description: String {
        switch bound {
        case .value(let v): "\(metric)\(comparison.rawValue)\(v)"
        case .alias(let a): "\(metric)\(comparison.rawValue)@\(a)"
        }
    }
}

/// How one gate came out, with the numbers it compared.
public struct GateOutcome: Codable, Equatable, Sendable {
    public var gate: String
    public var passed: Bool
    public var detail: String
}
