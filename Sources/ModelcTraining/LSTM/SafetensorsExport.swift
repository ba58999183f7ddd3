import Foundation
import ModelcFiles
import ModelcRuntime

/// Export for PyTorch users and for `modelc import pytorch`: the parameters as a safetensors
/// file (8-byte little-endian header length; a JSON header giving each tensor's dtype, shape
/// and byte range; then the F32 little-endian data in layout order), loadable with
/// `model.load_state_dict(safetensors.torch.load_file(path), strict=True)`, and the
/// architecture YAML that the importer reads beside it.
extension SequenceModel {
    /// The file's bytes. The header lists tensors in state_dict order and is padded with spaces
    /// to a multiple of 8 bytes; `metadata` goes under `__metadata__` (with `format: pt`).
    public func safetensors(metadata: [String: String] = [:]) -> [UInt8] {
        var meta = metadata
        meta["format"] = meta["format"] ?? "pt"
        var header = "{\"__metadata__\":{" + meta.keys.sorted().map { "\(json($0)):\(json(meta[$0]!))" }.joined(separator: ",") + "}"
        for e in layout.entries {
            let start = 4 * e.offset, end = 4 * (e.offset + e.count)
            header += ",\(json(e.name)):{\"dtype\":\"F32\",\"shape\":[\(e.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(start),\(end)]}"
        }
        header += "}"
        while header.utf8.count % 8 != 0 { header += " " }
        let length = UInt64(header.utf8.count)
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + 4 * layout.count)
        for v in parameterVector {
            let b = v.bitPattern
            bytes += [UInt8(truncatingIfNeeded: b), UInt8(truncatingIfNeeded: b >> 8), UInt8(truncatingIfNeeded: b >> 16), UInt8(truncatingIfNeeded: b >> 24)]
        }
        return bytes
    }

    /// Writes `safetensors(metadata:)` to `path`, atomically (`AtomicFile`).
    public func exportSafetensors(to path: String, metadata: [String: String] = [:]) throws(ModelcError) {
        do {
            try AtomicFile.write(safetensors(metadata: metadata), to: path)
        } catch {
            throw ModelcError(.io, error.description)
        }
    }

    /// The architecture YAML of `modelc import pytorch` (Models/pytorch/seed-long.yaml) for this
    /// network. Inputs are named by `featureNames` (catalog names), or without them by feature
    /// set: the 19 base features or the 23 base + crash features.
    public func pytorchArchitectureYAML(name: String, version: String = "1.0.0", role: String = "long",
                                        positiveClass: Int = 1, featureNames: [String]? = nil) throws(ModelcError) -> String {
        let features: String
        if let featureNames {
            guard featureNames.count == spec.inputSize else {
                throw ModelcError(.invalidArgument, "\(featureNames.count) feature names for a network of \(spec.inputSize) inputs")
            }
            features = "[" + featureNames.joined(separator: ", ") + "]"
        } else {
            switch spec.inputSize {
            case 19: features = "base"
            case 23: features = "base+crash"
            default:
                throw ModelcError(.invalidArgument, "the importer's YAML knows 19 (base) or 23 (base+crash) inputs, not \(spec.inputSize); name them")
            }
        }
        var lines = ["name: \(name)", "version: \(version)", "role: \(role)", "features: \(features)",
                     "sequence_length: \(spec.sequenceLength)", "layers:"]
        for layer in spec.layers {
            switch layer {
            case .lstm(let module, let hidden, let count, let bidirectional, _):
                lines.append("  - lstm: {module: \(module), hidden_size: \(hidden), num_layers: \(count), bidirectional: \(bidirectional)}")
            case .attention(let module, let heads, let lastQueryOnly):
                lines.append("  - attention: {module: \(module), heads: \(heads)}")
                if lastQueryOnly { lines.append("  - last_step") }
            case .dense(let module, _, _):
                lines.append("  - linear: \(module)")
            case .activation(let f):
                guard f != .softmax else { throw ModelcError(.invalidArgument, "the importer's YAML has no softmax layer") }
                lines.append("  - \(f.rawValue)")
            case .dropout:
                break  // the identity at inference
            case .pooling(let p):
                lines.append("  - \(p.rawValue)")
            }
        }
        lines.append("positive_class: \(positiveClass)")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A JSON string literal.
private func json(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
