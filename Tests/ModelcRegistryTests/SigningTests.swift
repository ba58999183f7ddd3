import Crypto
import Foundation
import ModelcFormat
import ModelcRuntime
import XCTest

final class SigningTests: TemporaryDirectoryTestCase {
    // RFC 8032 §7.1, TEST 1.
    private let rfcSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
    private let rfcPublic = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    private let rfcEmptySignature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"

    private func hex(_ s: String) -> [UInt8] {
        stride(from: 0, to: s.count, by: 2).map { UInt8(s.dropFirst($0).prefix(2), radix: 16)! }
    }

    /// The private key file holds the RFC 8032 seed: the derived public key and the key id
    /// match the RFC's public key and its SHA-256 prefix (computed with Python's hashlib).
    func testKeyFilesHoldRFC8032Keys() throws {
        let key = try ArtifactSigningKey(fileText: "modelc-ed25519-private \(Data(hex(rfcSeed)).base64EncodedString())\n")
        XCTAssertEqual(key.publicKey.rawBytes, hex(rfcPublic))
        XCTAssertEqual(key.publicKey.keyID, "21fe31dfa154a261")
        let pub = try ArtifactPublicKey(fileText: key.publicKey.fileText)
        XCTAssertEqual(pub, key.publicKey)
        let crypto = try Curve25519.Signing.PublicKey(rawRepresentation: pub.rawBytes)
        XCTAssertTrue(crypto.isValidSignature(hex(rfcEmptySignature), for: [UInt8]()))

        XCTAssertThrowsError(try ArtifactPublicKey(fileText: "modelc-ed25519 \(Data(hex(rfcPublic)).base64EncodedString()) 0000000000000000"))
        XCTAssertThrowsError(try ArtifactPublicKey(fileText: "ssh-ed25519 AAAA"))
    }

    func testPrivateKeyIsWrittenOwnerOnlyAndRefusedOtherwise() throws {
        let (priv, pub) = try SigningKeyFiles.write(.generate(), directory: path("keys"))
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: priv)[.posixPermissions] as? Int)
        XCTAssertEqual(mode, 0o600)
        XCTAssertNoThrow(try ArtifactSigningKey(path: priv))
        XCTAssertNoThrow(try ArtifactPublicKey(path: pub))
        XCTAssertThrowsError(try SigningKeyFiles.write(.generate(), directory: path("keys")), "must not replace keys silently")
        chmod(priv, 0o644)
        XCTAssertThrowsError(try ArtifactSigningKey(path: priv)) { error in
            XCTAssertTrue("\(error)".contains("chmod 600"), "\(error)")
        }
    }

    /// The signature covers exactly the message Spec.md §1.3 defines, rebuilt here by hand:
    /// the framing is split and field 8 removed from the header with a small protobuf walker.
    func testSignatureCoversTheSpecifiedMessage() throws {
        let key = ArtifactSigningKey.generate()
        let signed = try ArtifactSigner.sign(try TestArtifacts.bytes(seed: 3, compression: .zstd), with: key)

        XCTAssertEqual(Array(signed[0..<8]), [0x89, 0x4D, 0x4F, 0x44, 0x45, 0x4C, 0x43, 0x0A])
        let h = Int(signed[8]) | Int(signed[9]) << 8 | Int(signed[10]) << 16 | Int(signed[11]) << 24
        let header = Array(signed[12..<(12 + h)]), body = Array(signed[(12 + h)...])
        var unsigned: [UInt8] = [], signatureField: [UInt8]?
        var i = 0
        while i < header.count {
            let start = i
            let tag = varint(header, &i)
            switch tag & 7 {
            case 0: _ = varint(header, &i)
            case 2: i += Int(varint(header, &i))
            case 5: i += 4
            default: XCTFail("unexpected wire type in header"); return
            }
            if tag >> 3 == 8 { signatureField = Array(header[start..<i]) } else { unsigned += header[start..<i] }
        }
        let message = Array("modelc-signature-v1".utf8) + [0] + unsigned + Array(SHA256.hash(data: body))

        // The signature message: algorithm (1), key_id (2), public_key (3), value (4).
        let decoded = try Modelc_Signature(serializedBytes: Array(try XCTUnwrap(signatureField).dropFirst(2)))
        XCTAssertEqual(decoded.algorithm, "ed25519")
        XCTAssertEqual(decoded.keyID, key.publicKey.keyID)
        XCTAssertEqual([UInt8](decoded.publicKey), key.publicKey.rawBytes)
        let crypto = try Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey.rawBytes)
        XCTAssertTrue(crypto.isValidSignature(decoded.value, for: message))
        XCTAssertEqual(try ArtifactSigner.verify(signed, trusting: [key.publicKey]), key.publicKey)
        XCTAssertNoThrow(try Artifact(bytes: signed), "a signed artifact stays readable")

        // What the runtime gives a host verifier (mc_artifact_signature, Spec.md §12.5) is the same split.
        let parts = try SignatureParts(signed)
        XCTAssertEqual(parts.unsignedHeader, unsigned)
        XCTAssertEqual(parts.bodyOffset, 12 + h)
        let stored = try XCTUnwrap(parts.signature)
        XCTAssertEqual([stored.algorithm, stored.keyID, stored.publicKey, stored.value],
                       [Array(decoded.algorithm.utf8), Array(decoded.keyID.utf8), [UInt8](decoded.publicKey), [UInt8](decoded.value)])
        XCTAssertNil(try SignatureParts(try TestArtifacts.bytes(seed: 3, compression: .zstd)).signature)
    }

    private func varint(_ b: [UInt8], _ i: inout Int) -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            let byte = b[i]
            i += 1
            v |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return v }
            shift += 7
        }
    }

    func testChangedHeaderInvalidatesSignature() throws {
        let key = ArtifactSigningKey.generate()
        let signed = try ArtifactSigner.sign(try TestArtifacts.bytes(seed: 4), with: key)
        let newerMinor = try TestArtifacts.reframe(signed) { $0.formatMinor += 1 }
        XCTAssertNoThrow(try Artifact(bytes: newerMinor), "still a readable 1.x artifact: only the signature catches it")
        XCTAssertThrowsError(try ArtifactSigner.verify(newerMinor, trusting: [key.publicKey])) {
            XCTAssertEqual($0 as? SigningError, .mismatch(keyID: key.publicKey.keyID))
        }
        let fewerCapabilities = try TestArtifacts.reframe(signed) { $0.requiredCapabilities.removeLast() }
        XCTAssertThrowsError(try ArtifactSigner.verify(fewerCapabilities, trusting: [key.publicKey])) {
            XCTAssertEqual($0 as? SigningError, .mismatch(keyID: key.publicKey.keyID))
        }
        let badValue = try TestArtifacts.reframe(signed) { $0.signature.value[0] ^= 1 }
        XCTAssertThrowsError(try ArtifactSigner.verify(badValue, trusting: [key.publicKey])) {
            XCTAssertEqual($0 as? SigningError, .mismatch(keyID: key.publicKey.keyID))
        }
    }

    /// A changed weight with a recomputed CRC is a perfectly readable artifact; the signature
    /// is what refuses it.
    func testChangedBodyInvalidatesSignature() throws {
        let key = ArtifactSigningKey.generate()
        let signed = try ArtifactSigner.sign(try TestArtifacts.bytes(seed: 5, compression: .none), with: key)
        var (header, body) = try TestArtifacts.split(signed)
        let model = try Modelc_Model(serializedBytes: body)
        let weight = try XCTUnwrap(model.tensors.first?.data)
        let at = try XCTUnwrap(body.firstRange(of: Array(weight.prefix(16)))).lowerBound
        body[at] ^= 0x01  // the lowest mantissa bit of the first weight
        header.bodyCrc32C = CRC32C.checksum(body)
        let tampered = ArtifactWriter.frame(header: header, stored: body)
        XCTAssertNoThrow(try Artifact(bytes: tampered))
        XCTAssertThrowsError(try ArtifactSigner.verify(tampered, trusting: [key.publicKey])) {
            XCTAssertEqual($0 as? SigningError, .mismatch(keyID: key.publicKey.keyID))
        }
    }

    func testUnsignedForeignAndResignedArtifacts() throws {
        let owner = ArtifactSigningKey.generate(), other = ArtifactSigningKey.generate()
        let plain = try TestArtifacts.bytes(seed: 6)
        XCTAssertThrowsError(try ArtifactSigner.verify(plain, trusting: [owner.publicKey])) { XCTAssertEqual($0 as? SigningError, .unsigned) }
        let byOther = try ArtifactSigner.sign(plain, with: other)
        XCTAssertThrowsError(try ArtifactSigner.verify(byOther, trusting: [owner.publicKey])) {
            XCTAssertEqual($0 as? SigningError, .untrustedKey(keyID: other.publicKey.keyID))
        }
        XCTAssertEqual(try ArtifactSigner.verify(byOther, trusting: [owner.publicKey, other.publicKey]), other.publicKey)
        // Signing again replaces the signature: the header has one slot.
        let resigned = try ArtifactSigner.sign(byOther, with: owner)
        XCTAssertEqual(try ArtifactSigner.verify(resigned, trusting: [owner.publicKey]), owner.publicKey)
        XCTAssertEqual(resigned.count, byOther.count)
        // An attacker who swaps in their own key but keeps the old value gets a mismatch.
        let swapped = try TestArtifacts.reframe(resigned) {
            $0.signature.publicKey = Data(other.publicKey.rawBytes)
            $0.signature.keyID = other.publicKey.keyID
        }
        XCTAssertThrowsError(try ArtifactSigner.verify(swapped, trusting: [other.publicKey])) {
            XCTAssertEqual($0 as? SigningError, .mismatch(keyID: other.publicKey.keyID))
        }
        let wrongID = try TestArtifacts.reframe(resigned) { $0.signature.keyID = "0123456789abcdef" }
        XCTAssertThrowsError(try ArtifactSigner.verify(wrongID, trusting: [owner.publicKey])) {
            guard case .malformedSignature = $0 as? SigningError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ArtifactSigner.sign(Array(plain.dropLast()), with: owner), "a truncated artifact is not signed")
    }

    func testCommandLine() throws {
        XCTAssertEqual(try ModelcProcess.run(["keys", "generate", "--out", path("keys")]).status, 0)
        XCTAssertEqual(try ModelcProcess.run(["keys", "generate", "--out", path("keys"), "--name", "other"]).status, 0)
        let artifact = path("m.modelc")
        try TestArtifacts.write(to: artifact, seed: 7)

        var r = try ModelcProcess.run(["verify", artifact, "--pub", path("keys/modelc.pub")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("not signed"), r.stderr)

        r = try ModelcProcess.run(["sign", artifact, "--key", path("keys/modelc.key")])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try ModelcProcess.run(["verify", artifact, "--pub", path("keys/modelc.pub")])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try ModelcProcess.run(["verify", artifact, "--pub", path("keys/other.pub")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("not a trusted key"), r.stderr)

        var bytes = try Data(contentsOf: URL(fileURLWithPath: artifact))
        bytes[bytes.count - 1] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: artifact))
        r = try ModelcProcess.run(["verify", artifact, "--pub", path("keys/modelc.pub")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("changed after signing") && r.stderr.contains(artifact), r.stderr)
    }
}
