import Foundation
import ModelcFormat
@testable import ModelcRegistry
import XCTest

final class RegistryTests: TemporaryDirectoryTestCase {
    private var registry: Registry!

    override func setUpWithError() throws {
        try super.setUpWithError()
        registry = try Registry(path: path("registry"))
    }

    @discardableResult
    private func push(seed: UInt64, metrics: [String: Double] = [:], name: String = "btc", parent: Int? = nil) throws -> PushResult {
        let file = path("seed\(seed)-\(metrics.values.reduce(0, +)).modelc")
        try TestArtifacts.write(to: file, seed: seed, metrics: metrics)
        return try registry.push(file: file, name: name, parent: parent)
    }

    private func blobFiles() -> [String] {
        let root = path("registry/blobs")
        return ((try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? [])
            .filter { $0.contains("/") }.sorted()
    }

    func testVersionsLineageAndDeduplication() throws {
        let file = path("a.modelc")
        let bytes = try TestArtifacts.write(to: file, seed: 1, metrics: ["blend.auc": 0.61, "long.brier": 0.2])
        let first = try registry.push(file: file, name: "btc")
        XCTAssertEqual(first.record.version, 1)
        XCTAssertNil(first.record.parent)
        XCTAssertTrue(first.newBlob)
        XCTAssertEqual(first.record.sha256, try sha256sum(file))
        XCTAssertEqual(first.record.size, bytes.count)
        XCTAssertEqual(first.record.metrics, ["blend.auc": 0.61, "long.brier": 0.2])
        XCTAssertEqual(first.record.modelName, "demo-dual")
        XCTAssertEqual(first.record.producerVersion, try Artifact(bytes: bytes).model.info.producerVersion)
        XCTAssertEqual(first.record.pushedBy, ProcessInfo.processInfo.environment["USER"] ?? first.record.pushedBy)

        XCTAssertEqual(try push(seed: 2).record.parent, 1)
        let again = try registry.push(file: file, name: "btc")
        XCTAssertEqual(again.record.version, 3)
        XCTAssertEqual(again.record.parent, 2)
        XCTAssertFalse(again.newBlob)
        XCTAssertEqual(blobFiles().count, 2, "the same bytes pushed twice are one blob")
        XCTAssertEqual(try push(seed: 4, parent: 1).record.parent, 1)
        XCTAssertThrowsError(try push(seed: 5, parent: 9)) { XCTAssertEqual($0 as? RegistryError, .notFound("parent version 'btc@9'")) }
        XCTAssertEqual(try push(seed: 1, name: "eth").record.version, 1, "numbering is per name")

        XCTAssertEqual(try registry.versions(of: "btc").map(\.version), [1, 2, 3, 4])
        XCTAssertEqual(try registry.names().map(\.name), ["btc", "eth"])
        XCTAssertEqual(try registry.resolve(ModelRef(parsing: "btc")).version, 4)
        XCTAssertEqual(try registry.resolve(ModelRef(parsing: "btc@2")).version, 2)
        XCTAssertThrowsError(try registry.resolve(ModelRef(parsing: "btc@7")))
        XCTAssertThrowsError(try registry.resolve(ModelRef(parsing: "btc@production")))
    }

    func testInvalidArtifactsAndNamesStoreNothing() throws {
        let file = path("bad.modelc")
        var bytes = try TestArtifacts.bytes(seed: 1)
        bytes[bytes.count - 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try registry.push(file: file, name: "btc")) { error in
            XCTAssertTrue("\(error)".contains(file) && "\(error)".contains("checksum mismatch"), "\(error)")
        }
        try TestArtifacts.write(to: file, seed: 1)
        XCTAssertThrowsError(try registry.push(file: file, name: "no spaces"))
        XCTAssertThrowsError(try registry.push(file: file, name: "a@b"))
        XCTAssertTrue(blobFiles().isEmpty)
        XCTAssertTrue(try registry.names().isEmpty)
    }

    func testReferencesAndGatesParse() throws {
        XCTAssertEqual(try ModelRef(parsing: "btc-dual@12"), ModelRef(name: "btc-dual", selector: .version(12)))
        XCTAssertEqual(try ModelRef(parsing: "btc@staging"), ModelRef(name: "btc", selector: .alias("staging")))
        XCTAssertEqual(try ModelRef(parsing: "btc@latest"), ModelRef(name: "btc", selector: .latest))
        for bad in ["", "@1", "btc@0", "btc@", "btc@-1", "b c"] { XCTAssertThrowsError(try ModelRef(parsing: bad), bad) }

        XCTAssertEqual(try MetricGate(parsing: "blend.auc>=0.55"), MetricGate(metric: "blend.auc", comparison: .greaterOrEqual, bound: .value(0.55)))
        XCTAssertEqual(try MetricGate(parsing: "long.brier < @production"), MetricGate(metric: "long.brier", comparison: .less, bound: .alias("production")))
        XCTAssertEqual(try MetricGate(parsing: "blend.auc>0.5").comparison, .greater)
        for bad in ["blend.auc", "auc>=0.5", "blend.auc>=x", "blend.auc=>0.5", "blend.auc>=nan", "blend.auc>=@1x y"] {
            XCTAssertThrowsError(try MetricGate(parsing: bad), bad)
        }
    }

    func testPromotionGates() throws {
        try push(seed: 1, metrics: ["blend.auc": 0.56, "blend.brier": 0.24])
        try push(seed: 2, metrics: ["blend.auc": 0.54, "blend.brier": 0.22])
        try push(seed: 3, metrics: ["blend.auc": 0.58, "blend.brier": 0.25])
        try push(seed: 4)

        let refused = try registry.promote(name: "btc", version: 2, to: "production", gates: [try MetricGate(parsing: "blend.auc>=0.55")])
        XCTAssertFalse(refused.promoted)
        XCTAssertTrue(refused.reason?.contains("blend.auc = 0.54, required >= 0.55") == true, refused.reason ?? "")
        XCTAssertThrowsError(try registry.resolve(ModelRef(parsing: "btc@production")), "a refused promotion moves nothing")

        let noMetric = try registry.promote(name: "btc", version: 4, to: "production", gates: [try MetricGate(parsing: "blend.auc>=0.5")])
        XCTAssertFalse(noMetric.promoted)
        XCTAssertTrue(noMetric.reason?.contains("has no metric blend.auc") == true)

        // Nothing holds production yet: a comparison with it passes.
        let firstPromotion = try registry.promote(name: "btc", version: 1, to: "production", gates: [try MetricGate(parsing: "blend.auc>@production")])
        XCTAssertTrue(firstPromotion.promoted)
        XCTAssertEqual(firstPromotion.move?.from, nil)

        let worse = try registry.promote(name: "btc", version: 2, to: "production", gates: [try MetricGate(parsing: "blend.auc>@production")])
        XCTAssertFalse(worse.promoted, "0.54 does not beat 0.56")
        let lowerBrier = try registry.promote(name: "btc", version: 2, to: "production", gates: [try MetricGate(parsing: "blend.brier<@production")])
        XCTAssertTrue(lowerBrier.promoted, "0.22 < 0.24")
        let better = try registry.promote(name: "btc", version: 3, to: "production",
                                          gates: [try MetricGate(parsing: "blend.auc>@production"), try MetricGate(parsing: "blend.auc>=0.55")])
        XCTAssertTrue(better.promoted)
        XCTAssertEqual(better.move?.from, 2)
        XCTAssertEqual(better.gates.map(\.passed), [true, true])
        XCTAssertEqual(try registry.resolve(ModelRef(parsing: "btc@production")).version, 3)
        XCTAssertEqual(try registry.resolve(ModelRef(parsing: "btc@3")).aliases, ["production"])
    }

    func testRollbackWalksBackAndHistoryRecordsEveryMove() throws {
        for seed in 1...4 { try push(seed: UInt64(seed)) }
        XCTAssertNotNil(try registry.setAlias("production", name: "btc", version: 1))
        XCTAssertNil(try registry.setAlias("production", name: "btc", version: 1), "no move, no history row")
        for v in [2, 3] { XCTAssertTrue(try registry.promote(name: "btc", version: v, to: "production", gates: []).promoted) }
        try registry.setAlias("staging", name: "btc", version: 4)

        XCTAssertEqual(try registry.rollback(name: "btc", alias: "production").to, 2)
        XCTAssertEqual(try registry.rollback(name: "btc", alias: "production").to, 1)
        XCTAssertThrowsError(try registry.rollback(name: "btc", alias: "production")) {
            XCTAssertEqual($0 as? RegistryError, .noEarlierHolder(name: "btc", alias: "production", version: 1))
        }
        // A promotion after a rollback: rolling back undoes that promotion.
        XCTAssertTrue(try registry.promote(name: "btc", version: 4, to: "production", gates: []).promoted)
        XCTAssertEqual(try registry.rollback(name: "btc", alias: "production").to, 1)
        XCTAssertThrowsError(try registry.rollback(name: "btc", alias: "canary"))
        XCTAssertThrowsError(try registry.setAlias("production", name: "btc", version: 9))
        XCTAssertThrowsError(try registry.setAlias("latest", name: "btc", version: 1))
        XCTAssertThrowsError(try registry.setAlias("2nd", name: "btc", version: 1))

        let moves = try registry.history(name: "btc", alias: "production")
        XCTAssertEqual(moves.map(\.action), ["set", "promote", "promote", "rollback", "rollback", "promote", "rollback"])
        XCTAssertEqual(moves.map(\.from), [nil, 1, 2, 3, 2, 1, 4])
        XCTAssertEqual(moves.map(\.to), [1, 2, 3, 2, 1, 4, 1])
        XCTAssertEqual(try registry.history(name: "btc").count, moves.count + 1)
        XCTAssertTrue(moves.allSatisfy { !$0.by.isEmpty && $0.at.hasSuffix("Z") })
    }

    func testVerifyFindsCorruptionAndShowAndExportRefuseIt() throws {
        let first = try push(seed: 1).record
        try push(seed: 2)
        XCTAssertTrue(try registry.verify().ok)

        let blob = registry.blobPath(first)
        chmod(blob, 0o644)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: blob))
        bytes[100] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: blob))

        let report = try registry.verify()
        XCTAssertFalse(report.ok)
        XCTAssertEqual(report.problems.count, 2, "\(report.problems)")  // the blob's own digest, and the row that uses it
        XCTAssertTrue(report.problems.contains { $0.contains("btc@1") && $0.contains("corrupt") }, "\(report.problems)")
        XCTAssertThrowsError(try registry.summary(first)) { guard case .corruptBlob = $0 as? RegistryError else { return XCTFail("\($0)") } }
        XCTAssertThrowsError(try registry.export(ModelRef(parsing: "btc@1"), to: path("out.modelc")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.modelc")))
        XCTAssertNoThrow(try registry.export(ModelRef(parsing: "btc@2"), to: path("out.modelc")))

        // Pushing the same artifact again repairs the blob.
        try TestArtifacts.write(to: path("again.modelc"), seed: 1)
        XCTAssertTrue(try registry.push(file: path("again.modelc"), name: "btc").newBlob)
        XCTAssertTrue(try registry.verify().ok)

        try FileManager.default.removeItem(atPath: blob)
        XCTAssertTrue(try registry.verify().problems.contains { $0.contains("btc@1") && $0.contains("missing") })
    }

    func testExportReplacesTheFileAtomically() throws {
        let one = try push(seed: 1).record, two = try push(seed: 2).record
        try registry.setAlias("production", name: "btc", version: 1)
        let out = path("bot/current.modelc")
        try FileManager.default.createDirectory(atPath: path("bot"), withIntermediateDirectories: true)
        try registry.export(ModelRef(parsing: "btc@production"), to: out)
        XCTAssertEqual(try sha256sum(out), one.sha256)
        let inode = try FileManager.default.attributesOfItem(atPath: out)[.systemFileNumber] as? Int
        try registry.setAlias("production", name: "btc", version: 2)
        try registry.export(ModelRef(parsing: "btc@production"), to: out)
        XCTAssertEqual(try sha256sum(out), two.sha256)
        XCTAssertNotEqual(try FileManager.default.attributesOfItem(atPath: out)[.systemFileNumber] as? Int, inode,
                          "replaced by rename, so a reader holding the old file keeps reading complete old bytes")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("bot")), ["current.modelc"])
    }

    func testGarbageCollection() throws {
        let kept = try push(seed: 1).record
        // An unreferenced blob, as a push killed after storing its blob leaves one.
        let orphan = try TestArtifacts.bytes(seed: 2)
        let orphanSHA = try registry.blobs.put(orphan).sha256
        _ = FileManager.default.createFile(atPath: path("registry/tmp/left.tmp"), contents: Data([1, 2, 3]))

        let report = try registry.verify()
        XCTAssertTrue(report.ok)
        XCTAssertEqual(report.unreferencedBlobs, ["sha256:\(orphanSHA)"])
        XCTAssertEqual(report.temporaryFiles.count, 1)

        let dry = try registry.collectGarbage(apply: false, temporaryFileAge: 0)
        XCTAssertEqual(dry.blobs, [registry.blobs.path(of: orphanSHA)])
        XCTAssertEqual(dry.bytes, orphan.count + 3)
        XCTAssertTrue(FileManager.default.fileExists(atPath: registry.blobs.path(of: orphanSHA)), "a dry run removes nothing")
        XCTAssertEqual(try registry.collectGarbage(apply: true).temporaryFiles, [], "young temporary files are left alone")
        XCTAssertFalse(FileManager.default.fileExists(atPath: registry.blobs.path(of: orphanSHA)))
        XCTAssertEqual(try registry.collectGarbage(apply: true, temporaryFileAge: 0).temporaryFiles.count, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: registry.blobPath(kept)))
        let clean = try registry.verify()
        XCTAssertTrue(clean.ok && clean.unreferencedBlobs.isEmpty && clean.temporaryFiles.isEmpty)
    }

    func testTrustedKeysRequireSignaturesOnPushAndExport() throws {
        try push(seed: 1)  // pushed before signatures were required
        let key = ArtifactSigningKey.generate(), stranger = ArtifactSigningKey.generate()
        XCTAssertTrue(try registry.trust(key.publicKey))
        XCTAssertFalse(try registry.trust(key.publicKey))
        XCTAssertEqual(try registry.trustedKeys().map(\.keyID), [key.publicKey.keyID])

        XCTAssertThrowsError(try push(seed: 2)) { error in
            XCTAssertTrue("\(error)".contains("artifact is not signed"), "\(error)")
        }
        let signedFile = path("signed.modelc"), strangerFile = path("stranger.modelc"), tamperedFile = path("tampered.modelc")
        let signed = try ArtifactSigner.sign(try TestArtifacts.bytes(seed: 2), with: key)
        try Data(signed).write(to: URL(fileURLWithPath: signedFile))
        try Data(try ArtifactSigner.sign(try TestArtifacts.bytes(seed: 3), with: stranger)).write(to: URL(fileURLWithPath: strangerFile))
        let tampered = try TestArtifacts.reframe(signed) { $0.formatMinor = 9 }
        try Data(tampered).write(to: URL(fileURLWithPath: tamperedFile))

        let pushed = try registry.push(file: signedFile, name: "btc").record
        XCTAssertEqual(pushed.signedBy, key.publicKey.keyID)
        XCTAssertThrowsError(try registry.push(file: strangerFile, name: "btc")) { XCTAssertTrue("\($0)".contains("not a trusted key")) }
        XCTAssertThrowsError(try registry.push(file: tamperedFile, name: "btc")) { XCTAssertTrue("\($0)".contains("changed after signing")) }
        XCTAssertEqual(try registry.versions(of: "btc").count, 2)

        XCTAssertNoThrow(try registry.export(ModelRef(parsing: "btc@2"), to: path("ok.modelc")))
        XCTAssertThrowsError(try registry.export(ModelRef(parsing: "btc@1"), to: path("old.modelc")), "an unsigned version is not exported")

        try registry.untrust(keyID: key.publicKey.keyID)
        XCTAssertNoThrow(try registry.export(ModelRef(parsing: "btc@1"), to: path("old.modelc")))
        XCTAssertThrowsError(try registry.untrust(keyID: key.publicKey.keyID))
    }

    func testDiffShowsSizesMetricsAndInfoSideBySide() throws {
        let a = try push(seed: 1, metrics: ["blend.auc": 0.55]).record
        let b = try push(seed: 2, metrics: ["blend.auc": 0.6, "long.auc": 0.58]).record
        let diff = ArtifactDiff(a: a.ref, try registry.summary(a), b: b.ref, try registry.summary(b))
        XCTAssertEqual(diff.sections.map(\.title), ["Model info", "Features", "Architecture", "Sizes", "Metrics"])
        let metrics = try XCTUnwrap(diff.sections.last).rows
        XCTAssertEqual(metrics.map(\.key), ["blend.auc", "long.auc"])
        XCTAssertEqual(metrics.map(\.a), ["0.55", nil])
        XCTAssertEqual(metrics.map(\.b), ["0.6", "0.58"])
        let sizes = diff.sections[3].rows
        XCTAssertEqual(sizes.first { $0.key == "file bytes" }?.a, "\(a.size)")
        XCTAssertEqual(sizes.first { $0.key == "file bytes" }?.b, "\(b.size)")
        XCTAssertFalse(diff.sections[1].rows.contains(where: \.changed), "same features")
        XCTAssertEqual(diff.sections[1].rows.count, 19)
        XCTAssertTrue(diff.sections[2].rows.contains { $0.key.hasPrefix("long[0].") && $0.a?.contains("BiLSTM") == true })
        XCTAssertEqual(diff.onlyChanged.sections.flatMap(\.rows).count, diff.changedRows)
    }

    func testLocationPrecedence() {
        XCTAssertEqual(RegistryLocation.resolve(explicit: "/x", environment: ["MODELC_REGISTRY": "/y", "HOME": "/h"]),
                       RegistryLocation(path: "/x", source: .flag))
        XCTAssertEqual(RegistryLocation.resolve(explicit: nil, environment: ["MODELC_REGISTRY": "/y", "HOME": "/h"]),
                       RegistryLocation(path: "/y", source: .environment))
        XCTAssertEqual(RegistryLocation.resolve(explicit: nil, environment: ["HOME": "/h"]),
                       RegistryLocation(path: "/h/.modelc/registry", source: .standard))
    }
}
