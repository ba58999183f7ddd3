import Foundation
import ModelcFormat
import ModelcRuntime
import Yams

/// The architecture of a PyTorch sequence model, read from a small YAML file, which tells
/// `modelc import pytorch` how state_dict names map onto format layers. Example (the seed):
///
/// ```yaml
/// name: seed-long
/// version: 1.0.0
/// role: long                 # long | short | direction
/// features: base             # base (19) | base+crash (23) | [catalog names]: the inputs, in order
/// sequence_length: 64
/// layers:
///   - lstm: {module: lstm, hidden_size: 128, num_layers: 2, bidirectional: true}
///   - attention: {module: attention, heads: 4}
///   - last_step              # PyTorch's a[:, -1, :]
///   - linear: fc.0
///   - relu
///   - linear: fc.3
/// positive_class: 1
/// ```
/// The standardisation the network was trained with comes separately (`standardisation(yaml:)`),
/// so the same architecture serves inputs computed elsewhere and raw candles.
public struct PyTorchArchitecture: Sendable {
    public enum Layer: Equatable, Sendable {
        case lstm(module: String, hiddenSize: Int, numLayers: Int, bidirectional: Bool)
        case attention(module: String, heads: Int)
        case linear(module: String)
        case activation(String)
        case pooling(String)
    }

    public var name: String
    public var version: String
    public var role: Modelc_ComponentRole
    public var features: [FeatureDefinition]
    public var sequenceLength: Int
    public var layers: [Layer]
    public var positiveClass: Int
    /// Per-feature mean and standard deviation the network's inputs were standardised with.
    public var standardisation: (mean: [Double], std: [Double])?

    public init(yaml text: String, file: String) throws {
        func fail(_ message: String) -> ImportError { ImportError(file, message) }
        let root: [String: Any]
        do {
            guard let parsed = try Yams.load(yaml: text) as? [String: Any] else { throw fail("expected a mapping at the top level") }
            root = parsed
        } catch let error as ImportError {
            throw error
        } catch {
            throw fail("not valid YAML: \(error)")
        }
        let allowed = ["name", "version", "role", "features", "sequence_length", "layers", "positive_class"]
        if let unknown = root.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail("unknown key '\(unknown)' (allowed: \(allowed.joined(separator: ", ")))")
        }
        name = root["name"] as? String ?? "pytorch-import"
        version = root["version"] as? String ?? "0.1.0"
        switch root["role"] as? String ?? "long" {
        case "long": role = .roleLong
        case "short": role = .roleShort
        case "direction": role = .roleDirection
        case let other: throw fail("role '\(other)' is not one of long, short, direction")
        }
        if let names = root["features"] as? [String] {
            features = try names.map { name in
                guard let f = FeatureCatalog.all.first(where: { $0.name == name }) else {
                    throw fail("feature '\(name)' is not in the catalog (\(FeatureCatalog.all.map(\.name).joined(separator: ", ")))")
                }
                return f
            }
        } else {
            switch root["features"] as? String ?? "base" {
            case "base": features = FeatureCatalog.base
            case "base+crash": features = FeatureCatalog.base + FeatureCatalog.crash
            case let other: throw fail("features '\(other)' is not one of base, base+crash, or a list of catalog names")
            }
        }
        guard let steps = root["sequence_length"] as? Int, steps > 0 else { throw fail("sequence_length must be a positive integer") }
        sequenceLength = steps
        positiveClass = root["positive_class"] as? Int ?? 1
        guard let list = root["layers"] as? [Any], !list.isEmpty else { throw fail("layers must be a non-empty list") }
        layers = try list.enumerated().map { i, item in try Self.layer(item, fail: { fail("layers[\(i)]: \($0)") }) }
    }

    private static func layer(_ item: Any, fail: (String) -> ImportError) throws -> Layer {
        if let word = item as? String {
            switch word {
            case "relu", "tanh", "sigmoid": return .activation(word)
            case "last_step", "mean": return .pooling(word)
            case "dropout": throw fail("dropout is the identity at inference: leave it out")
            default: throw fail("unknown layer '\(word)' (relu, tanh, sigmoid, last_step, mean, or a mapping)")
            }
        }
        guard let map = item as? [String: Any], map.count == 1, let (kind, value) = map.first else {
            throw fail("expected a layer name or a one-key mapping")
        }
        switch kind {
        case "linear":
            guard let module = value as? String else { throw fail("linear takes its module name, e.g. 'linear: fc.0'") }
            return .linear(module: module)
        case "lstm":
            guard let p = value as? [String: Any] else { throw fail("lstm takes a mapping") }
            try checkKeys(p, ["module", "hidden_size", "num_layers", "bidirectional"], fail)
            guard let hidden = p["hidden_size"] as? Int, hidden > 0 else { throw fail("lstm.hidden_size must be a positive integer") }
            return .lstm(module: p["module"] as? String ?? "lstm", hiddenSize: hidden,
                         numLayers: p["num_layers"] as? Int ?? 1, bidirectional: p["bidirectional"] as? Bool ?? false)
        case "attention":
            guard let p = value as? [String: Any] else { throw fail("attention takes a mapping") }
            try checkKeys(p, ["module", "heads"], fail)
            guard let heads = p["heads"] as? Int, heads > 0 else { throw fail("attention.heads must be a positive integer") }
            return .attention(module: p["module"] as? String ?? "attention", heads: heads)
        default:
            throw fail("unknown layer kind '\(kind)' (lstm, attention, linear)")
        }
    }

    /// Reads a scaler file `{mean: [numbers], std: [numbers]}` for this architecture's features.
    public mutating func standardisation(yaml text: String, file: String) throws {
        guard let map = (try? Yams.load(yaml: text)) as? [String: Any], Set(map.keys) == ["mean", "std"],
              let mean = Self.numbers(map["mean"]), let std = Self.numbers(map["std"]) else {
            throw ImportError(file, "expected {mean: [numbers], std: [numbers]}")
        }
        guard mean.count == features.count, std.count == features.count else {
            throw ImportError(file, "\(mean.count) means and \(std.count) stds for \(features.count) features")
        }
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else {
            throw ImportError(file, "every std must be a finite number > 0 and every mean finite")
        }
        standardisation = (mean, std)
    }

    /// A YAML list of numbers (integers or floats) as Doubles.
    private static func numbers(_ value: Any?) -> [Double]? {
        guard let list = value as? [Any] else { return nil }
        var out: [Double] = []
        for v in list {
            if let d = v as? Double { out.append(d) } else if let i = v as? Int { out.append(Double(i)) } else { return nil }
        }
        return out
    }

    private static func checkKeys(_ map: [String: Any], _ allowed: [String], _ fail: (String) -> ImportError) throws {
        if let unknown = map.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail("unknown key '\(unknown)' (allowed: \(allowed.joined(separator: ", ")))")
        }
    }
}
