import Foundation
import ModelcFormat
@testable import ModelcRegistry
import XCTest

/// `verify` checks signatures while the registry requires them (Spec.md §12.3).
final class RegistryVerifySignaturesTests: TemporaryDirectoryTestCase {
    func testVersionsExportWouldRefuseAreListed() throws {
        let registry = try Registry(path: path("registry"))
        let owner = ArtifactSigningKey.generate(), stranger = ArtifactSigningKey.generate()
        let signed = try ArtifactSigner.sign(try TestArtifacts.bytes(seed: 3), with: owner)
        let artifacts: [(String, [UInt8])] = [
            ("unsigned", try TestArtifacts.bytes(seed: 1)),
            ("stranger", try ArtifactSigner.sign(try TestArtifacts.bytes(seed: 2), with: stranger)),
            ("signed", signed),
            // Changed after signing: a valid artifact whose signature no longer verifies.
            ("tampered", try TestArtifacts.reframe(signed) { $0.formatMinor = 9 }),
        ]
        for (name, bytes) in artifacts {
            try Data(bytes).write(to: URL(fileURLWithPath: path("\(name).modelc")))
            _ = try registry.push(file: path("\(name).modelc"), name: "btc")  // no policy yet: all accepted
        }
        let open = try registry.verify()
        XCTAssertTrue(open.ok)
        XCTAssertFalse(open.signaturesRequired)
        XCTAssertEqual(open.signatureProblems, [])

        try registry.trust(owner.publicKey)
        let report = try registry.verify()
        XCTAssertFalse(report.ok)
        XCTAssertTrue(report.signaturesRequired)
        XCTAssertEqual(report.problems, [], "no damage: only the policy is unmet")
        XCTAssertEqual(report.signatureProblems, [
            "btc@1: artifact is not signed",
            "btc@2: signed by key \(stranger.publicKey.keyID), which is not a trusted key",
            "btc@4: signature by key \(owner.publicKey.keyID) does not match the artifact: its header or body was changed after signing",
        ])
        for v in [1, 2, 4] { XCTAssertThrowsError(try registry.export(ModelRef(parsing: "btc@\(v)"), to: path("out.modelc"))) }
        XCTAssertNoThrow(try registry.export(ModelRef(parsing: "btc@3"), to: path("out.modelc")))

        try registry.trust(stranger.publicKey)
        XCTAssertEqual(try registry.verify().signatureProblems.count, 2, "a trusted stranger's signature is accepted")
    }
}
