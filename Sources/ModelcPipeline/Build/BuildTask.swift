import Foundation

/// One unit of a build worth caching and running on another core or machine (Spec.md §14.6):
/// training every component on one walk-forward window or on the final span, or one search trial
/// trained and scored on one window. Everything else (data, splits, calibration, replays, the
/// policy fit, the card) is cheap and runs in the process that assembles the artifact.
public struct BuildTask: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case search, window, final
    }

    /// `search-t3-w2`, `window-2`, `final`: what progress lines and `modelc run-task` call it.
    public let id: String
    public let kind: Kind
    /// The search trial (0-based): the one scored, or for `window` and `final` the one the search
    /// chose; nil without a search.
    public let trial: Int?
    /// The walk-forward window (0-based) of `search` and `window` tasks.
    public let window: Int?
    /// Where its output goes in the cache (`SpanTraining.key`).
    public let key: String
}

/// The tasks that one stage of a build needs and the cache does not hold: what `modelc plan`
/// writes. An empty list means the cache holds every task's output and `modelc build` only
/// assembles.
public struct BuildPlan: Codable, Sendable {
    public static let format = "modelc-plan/1"
    public var format = BuildPlan.format
    /// The build config, absolute, and the SHA-256 of its bytes when planned.
    public var config: String
    public var configSHA256: String
    /// The cache folder, absolute; `modelc run-task --cache` overrides it on a machine that mounts it elsewhere.
    public var cache: String
    public var tasks: [BuildTask]

    public init(config: String, configSHA256: String, cache: String, tasks: [BuildTask]) {
        self.config = config
        self.configSHA256 = configSHA256
        self.cache = cache
        self.tasks = tasks
    }

    enum CodingKeys: String, CodingKey {
        case format, config, configSHA256 = "config_sha256", cache, tasks
    }

    public func encoded() throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try e.encode(self)) + [10]
    }

    public static func load(path: String) throws -> BuildPlan {
        guard let data = FileManager.default.contents(atPath: path) else { throw BuildConfigError("\(path): cannot read the plan") }
        let plan: BuildPlan
        do { plan = try JSONDecoder().decode(BuildPlan.self, from: data) } catch {
            throw BuildConfigError("\(path): not a modelc plan (\(error))")
        }
        guard plan.format == format else { throw BuildConfigError("\(path): plan format '\(plan.format)', this modelc reads '\(format)'") }
        return plan
    }
}

/// Thrown inside a planning run at the first stage whose tasks are not all cached.
struct PendingTasks: Error {
    let tasks: [BuildTask]
}
