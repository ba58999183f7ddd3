import Foundation
import ModelcRuntime

/// Everything `modelc inspect` shows about an artifact, as plain Codable values so the same
/// summary renders as a table for people and as JSON for scripts.
public struct ArtifactSummary: Codable, Equatable {
    public struct Header: Codable, Equatable {
        public var format: String
        public var requiredCapabilities: [String]
        public var compression: String
        public var storedBodyBytes: UInt64
        public var bodyBytes: UInt64
        public var bodyCRC32C: String
        public var signed: Bool
        /// "none", "intact (key ID; …)" or "does not verify: REASON": what inspect checked.
        public var signature: String
    }

    public struct Info: Codable, Equatable {
        public var name: String
        public var version: String
        public var created: String
        public var producer: String
        public var producerVersion: String
        public var dataDigest: String
        public var configDigest: String
        public var description: String
        public var metadata: [String: String]
    }

    public struct Feature: Codable, Equatable {
        public var index: Int
        public var name: String
        public var kind: String
        public var params: [Double]
    }

    public struct Layer: Codable, Equatable {
        public var name: String
        public var type: String
        public var shape: String
        public var parameters: Int
    }

    public struct Trees: Codable, Equatable {
        public var trees: Int
        public var nodes: Int
        public var leaves: Int
        public var maxDepth: Int
        public var baseScore: Double
        public var link: String
        public var comparison: String
        public var thresholdPrecision: String
        public var source: String
    }

    public struct Member: Codable, Equatable {
        public var weight: Double
        public var kind: String
        public var layers: [Layer]?
        public var trees: Trees?
        public var parameters: Int
    }

    public struct Component: Codable, Equatable {
        public var name: String
        public var role: String
        public var inputFeatures: [String]
        public var window: Int
        public var scaler: String
        public var combine: String
        public var members: [Member]
    }

    public struct Tensor: Codable, Equatable {
        public var name: String
        public var dtype: String
        public var shape: [UInt64]
        public var bytes: Int
    }

    public struct Card: Codable, Equatable {
        public var windows: Int
        public var overall: [String: Double]
        public var backtest: [String: Double]?
        public var fidelity: [String: [String: Double]]
        public var notes: String
        /// Does the model beat its reference (format 1.1 cards; empty before).
        public var headline: String
    }

    public var file: String
    public var fileBytes: Int
    public var header: Header
    public var info: Info
    public var intervalSeconds: Int
    public var warmup: Int
    public var features: [Feature]
    public var components: [Component]
    public var blend: [String: String]
    public var tensors: [Tensor]
    public var totalParameters: Int
    public var tensorBytes: Int
    public var card: Card
}
