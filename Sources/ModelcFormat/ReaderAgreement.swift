import ModelcRuntime
import SwiftProtobuf

/// The format has two readers: the runtime's (protobuf-c, `ModelLoader`), which bots use, and
/// swift-protobuf's, which signing and the tools use. They must agree on every input: what the
/// runtime opens, swift-protobuf reads with the same content. The other way round, protobuf-c is
/// stricter in one point of the wire format: a known field sent with another wire type fails its
/// parse, where swift-protobuf (like protobuf's C++) keeps it as an unknown field. No tool sees
/// the difference, because `Artifact` and the signing code open every artifact with the runtime's
/// reader first; so a body the runtime cannot parse is not a disagreement. Strings holding a NUL byte are valid proto3 that protobuf-c cannot keep (it cuts
/// them at the NUL), so the format refuses them (Spec.md §1.2): on the Swift side, here and in
/// `Artifact`, which opens every artifact with the runtime's loader first. The differential fuzz target (Tools/fuzz/readers.swift) and the corpus replay
/// (ReaderAgreementTests) run this. Needs only the runtime and the generated code, so the fuzz
/// build compiles it outside SwiftPM.
public enum ReaderAgreement {
    /// Reads a fuzz input as the harness does (Tests/Fuzz/README.md): first byte 0, an artifact;
    /// 1, a body framed uncompressed with a correct header; anything else (candles) is not an
    /// artifact. Nil when both readers agree, else what differs.
    public static func disagreement(fuzzInput data: [UInt8]) -> String? {
        switch data.first {
        case 0: return disagreement(artifact: Array(data.dropFirst()))
        case 1: return disagreement(artifact: frame(body: Array(data.dropFirst())))
        default: return nil
        }
    }

    /// Both readers on the same artifact bytes; nil when they agree.
    public static func disagreement(artifact bytes: [UInt8]) -> String? {
        let runtime: Result<LoadedModel, ModelcError> = Result { () throws(ModelcError) in try ModelLoader.load(bytes) }
        // The framing (lengths, checksum, decompression) is the runtime's; only messages differ.
        guard let (header, body) = try? ArtifactFrame.open(bytes) else {
            if case .success = runtime { return "the runtime opens an artifact whose framing it refuses" }
            return nil
        }
        let headerBytes = Array(bytes[ArtifactFormat.prefixLength..<header.bodyOffset])
        let swiftHeader: Modelc_Header
        do {
            swiftHeader = try Modelc_Header(serializedBytes: headerBytes)
            if try holdsNUL(swiftHeader) { throw ModelcError(.invalidHeader, "a header string holds a NUL byte") }
        } catch {
            return "the runtime reads the header, swift-protobuf refuses it: \(error)"
        }
        // What a host verifier signs against (Spec.md §12.5): the runtime's H' is swift-protobuf's.
        guard let parts = try? SignatureParts(bytes) else { return "the runtime opens the framing, SignatureParts refuses it" }
        if parts.unsignedHeader != swiftHeader.unsignedBytes {
            return "the header without its signature: runtime \(parts.unsignedHeader), swift-protobuf \(swiftHeader.unsignedBytes)"
        }
        let swiftModel: Modelc_Model
        do {
            swiftModel = try Modelc_Model(serializedBytes: body)
            if try holdsNUL(swiftModel) { throw ModelcError(.invalidBody, "a body string holds a NUL byte") }
        } catch {
            switch runtime {
            case .success: return "the runtime opens the artifact, swift-protobuf refuses its body: \(error)"
            case .failure(let e) where e.code != .invalidBody && e.code != .limitExceeded:
                return "the runtime parses the body (then refuses: \(e.message)), swift-protobuf refuses it: \(error)"
            case .failure: return nil
            }
        }
        switch runtime {
        case .failure:
            return nil  // refused by the runtime's parse or its checks of the contents (see above)
        case .success(let loaded):
            return difference(loaded, swiftHeader, swiftModel)
        }
    }

    /// What the runtime loaded and what swift-protobuf decoded, field by field; nil when equal.
    static func difference(_ r: LoadedModel, _ h: Modelc_Header, _ m: Modelc_Model) -> String? {
        func differs<T: Equatable>(_ what: String, _ a: T, _ b: T) -> String? {
            a == b ? nil : "\(what): runtime \(a), swift-protobuf \(b)"
        }
        let checks: [String?] = [
            differs("header capabilities", r.header.requiredCapabilities, h.requiredCapabilities),
            differs("header signed", r.header.isSigned, h.hasSignature),
            differs("header format", [r.header.formatMajor, r.header.formatMinor], [h.formatMajor, h.formatMinor]),
            differs("info.name", Array(r.name.utf8), Array(m.info.name.utf8)),
            differs("info.version", Array(r.version.utf8), Array(m.info.version.utf8)),
            differs("info.producer", Array(r.producer.utf8), Array(m.info.producer.utf8)),
            differs("info.created_unix", r.createdUnix, m.info.createdUnix),
            differs("features.interval_seconds", r.intervalSeconds, Int(m.features.intervalSeconds)),
            differs("features.warmup", r.warmup, Int(m.features.warmup)),
            differs("features", r.features.map { "\($0.name)|\($0.kind.rawValue)|\($0.params.map(\.bitPattern))" },
                    m.features.features.map { "\($0.name)|\($0.kind.rawValue)|\($0.params.map(\.bitPattern))" }),
            differs("components", r.components.map { "\($0.name)|\($0.role.rawValue)|\($0.inputFeatures)|\($0.inputNames)|\($0.window)|\($0.memberWeights.map(\.bitPattern))" },
                    m.components.map { "\($0.name)|\($0.role.rawValue)|\($0.input.features.map(Int.init))|\($0.input.names)|\($0.input.window)|\($0.members.map(\.weight.bitPattern))" }),
            differs("tensors", r.tensors.map { "\($0.name)|\($0.shape)" }, m.tensors.map { "\($0.name)|\($0.shape.map(Int.init))" }),
        ]
        return checks.compactMap { $0 }.first
    }

    /// Whether a string of `message` holds a NUL byte: its JSON form writes one as the escape
    /// `\u0000` (bytes fields are base64, so only strings can produce it).
    static func holdsNUL(_ message: some SwiftProtobuf.Message) throws -> Bool {
        let json = Array(try message.jsonString().utf8)
        var i = 0
        while i < json.count {
            if json[i] == UInt8(ascii: "\\") {
                if json.count - i >= 6 && json[i + 1] == UInt8(ascii: "u") && json[(i + 2)..<(i + 6)].elementsEqual("0000".utf8) {
                    return true
                }
                i += 2  // an escape pair: its second byte is never the start of another escape
            } else {
                i += 1
            }
        }
        return false
    }

    /// `body` behind a correct uncompressed header listing every 1.0 capability (as the C
    /// harness frames its mode-1 inputs).
    static func frame(body: [UInt8]) -> [UInt8] {
        var header = Modelc_Header()
        header.formatMajor = ArtifactFormat.formatMajor
        header.requiredCapabilities = ArtifactFormat.knownCapabilities.sorted()
        header.bodyLength = UInt64(body.count)
        header.uncompressedLength = UInt64(body.count)
        header.bodyCrc32C = CRC32C.checksum(body)
        let encoded: [UInt8] = (try? header.serializedBytes()) ?? []
        let n = UInt32(encoded.count)
        return ArtifactFormat.magic + [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)] + encoded + body
    }
}
