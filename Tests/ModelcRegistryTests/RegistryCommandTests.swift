import Foundation
import XCTest

/// The `modelc registry` commands as scripts use them: exit status and --json output.
final class RegistryCommandTests: TemporaryDirectoryTestCase {
    private func modelc(_ args: [String], env: [String: String] = [:]) throws -> ModelcProcess.Result {
        try ModelcProcess.run(args, environment: ["USER": "alice"].merging(env) { _, new in new })
    }

    func testWorkflowThroughTheCommandLine() throws {
        let reg = ["--registry", path("registry")]
        try TestArtifacts.write(to: path("a.modelc"), seed: 1, metrics: ["blend.auc": 0.57])
        try TestArtifacts.write(to: path("b.modelc"), seed: 2, metrics: ["blend.auc": 0.53])

        var r = try modelc(["registry", "push", path("a.modelc"), path("b.modelc"), "--name", "btc", "--json"] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        let pushed = try XCTUnwrap(try r.json() as? [[String: Any]]).compactMap { $0["record"] as? [String: Any] }
        XCTAssertEqual(pushed.map { $0["version"] as? Int }, [1, 2])
        XCTAssertEqual(pushed.map { $0["pushedBy"] as? String }, ["alice", "alice"])
        XCTAssertEqual(pushed[0]["sha256"] as? String, try sha256sum(path("a.modelc")))

        r = try modelc(["registry", "promote", "btc", "2", "--to", "production", "--require", "blend.auc>=0.55", "--json"] + reg)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("blend.auc = 0.53, required >= 0.55"), r.stderr)
        XCTAssertEqual((try r.json() as? [String: Any])?["promoted"] as? Bool, false)

        r = try modelc(["registry", "promote", "btc", "1", "--to", "production", "--require", "blend.auc>=0.55"] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try modelc(["registry", "promote", "btc", "2", "--to", "production", "--require-better-than", "production"] + reg)
        XCTAssertEqual(r.status, 1, "0.53 is not better than 0.57")
        r = try modelc(["registry", "alias", "set", "btc", "2", "production"] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "btc@production: 1 -> 2\n")
        r = try modelc(["registry", "rollback", "btc", "--alias", "production", "--json"] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual((try r.json() as? [String: Any])?["to"] as? Int, 1)

        r = try modelc(["registry", "push", path("a.modelc"), "--name", "bad name"] + reg)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "Error: invalid name 'bad name': use letters, digits, '.', '_' and '-', starting with a letter or digit; "
                       + "give the registry name with --name\n")

        r = try modelc(["registry", "history", "btc", "--json"] + reg)
        let moves = try XCTUnwrap(try r.json() as? [[String: Any]])
        XCTAssertEqual(moves.map { $0["action"] as? String }, ["promote", "set", "rollback"])
        XCTAssertEqual(moves.map { $0["by"] as? String }, ["alice", "alice", "alice"])
        r = try modelc(["registry", "alias", "set", "btc", "2", "staging"] + reg)
        XCTAssertEqual(r.stdout, "btc@staging: none -> 2\n")
        r = try modelc(["registry", "alias", "set", "btc", "1", "staging"] + reg)
        r = try modelc(["registry", "rollback", "btc", "--alias", "staging"] + reg)
        XCTAssertEqual(r.stdout, "rolled back btc@staging: 1 -> 2\n", r.stderr)
        r = try modelc(["registry", "alias", "remove", "btc", "staging"] + reg)
        XCTAssertEqual(r.stdout, "btc@staging: 2 -> removed\n", r.stderr)

        r = try modelc(["registry", "show", "btc@production", "--json"] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        let shown = try XCTUnwrap(try r.json() as? [String: Any])
        XCTAssertEqual((shown["record"] as? [String: Any])?["version"] as? Int, 1)
        XCTAssertEqual(((shown["artifact"] as? [String: Any])?["info"] as? [String: Any])?["name"] as? String, "demo-dual")

        r = try modelc(["registry", "diff", "btc@1", "btc@2", "--changed"] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("blend.auc") && r.stdout.contains("0.57") && r.stdout.contains("0.53"), r.stdout)

        r = try modelc(["registry", "export", "btc@production", path("live.modelc")] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try sha256sum(path("live.modelc")), try sha256sum(path("a.modelc")))

        r = try modelc(["registry", "verify", "--json"] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual((try r.json() as? [String: Any])?["ok"] as? Bool, true)
        r = try modelc(["registry", "list", "--json"] + reg)
        XCTAssertEqual((try r.json() as? [[String: Any]])?.first?["aliases"] as? [String: Int], ["production": 1])
    }

    func testCorruptBlobIsReportedAndRefused() throws {
        let env = ["MODELC_REGISTRY": path("via-env")]
        try TestArtifacts.write(to: path("a.modelc"), seed: 1)
        var r = try modelc(["registry", "push", path("a.modelc"), "--name", "btc"], env: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let sha = try sha256sum(path("a.modelc"))
        let blob = path("via-env/blobs/\(sha.prefix(2))/\(sha.dropFirst(2))")
        chmod(blob, 0o644)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: blob))
        try handle.seek(toOffset: 500)
        try handle.write(contentsOf: Data([0xEE]))
        try handle.close()

        r = try modelc(["registry", "verify"], env: env)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("btc@1: blob sha256:\(sha) is corrupt"), r.stdout)
        for args in [["registry", "show", "btc"], ["registry", "export", "btc", path("out.modelc")]] {
            r = try modelc(args, env: env)
            XCTAssertEqual(r.status, 1, args.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains("is corrupt"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.modelc")))
    }

    func testSignaturePolicyThroughTheCommandLine() throws {
        let reg = ["--registry", path("registry")]
        XCTAssertEqual(try modelc(["keys", "generate", "--out", path("keys")]).status, 0)
        try TestArtifacts.write(to: path("a.modelc"), seed: 1)
        var r = try modelc(["registry", "trust", "add", path("keys/modelc.pub")] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try modelc(["registry", "push", path("a.modelc"), "--name", "btc"] + reg)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("requires a signature") && r.stderr.contains("not signed"), r.stderr)
        XCTAssertEqual(try modelc(["sign", path("a.modelc"), "--key", path("keys/modelc.key")]).status, 0)
        r = try modelc(["registry", "push", path("a.modelc"), "--name", "btc", "--json"] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try modelc(["registry", "trust", "list", "--json"] + reg)
        XCTAssertEqual((try r.json() as? [[String: Any]])?.count, 1)
    }

    func testAliasRemoveThroughTheCommandLine() throws {
        let reg = ["--registry", path("registry")]
        try TestArtifacts.write(to: path("a.modelc"), seed: 1)
        XCTAssertEqual(try modelc(["registry", "push", path("a.modelc"), "--name", "btc"] + reg).status, 0)
        XCTAssertEqual(try modelc(["registry", "alias", "set", "btc", "1", "staging"] + reg).status, 0)
        var r = try modelc(["registry", "alias", "remove", "btc", "staging", "--json"] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        let removal = try XCTUnwrap(try r.json() as? [String: Any])
        XCTAssertEqual(removal["action"] as? String, "remove")
        XCTAssertEqual(removal["from"] as? Int, 1)
        XCTAssertNil(removal["to"] as? Int)
        r = try modelc(["registry", "alias", "remove", "btc", "staging"] + reg)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("alias 'btc@staging' not found"), r.stderr)
        r = try modelc(["registry", "history", "btc"] + reg)
        XCTAssertTrue(r.stdout.contains("remove") && r.stdout.contains("alice"), r.stdout)
        r = try modelc(["registry", "list", "--json"] + reg)
        XCTAssertEqual((try r.json() as? [[String: Any]])?.first?["aliases"] as? [String: Int], [:])
    }

    /// Only push and trust add create a registry; every other command refuses a path without
    /// one, saying how the path was chosen, and leaves nothing behind.
    func testMissingRegistryIsRefusedNotCreated() throws {
        try TestArtifacts.write(to: path("a.modelc"), seed: 1)
        XCTAssertEqual(try modelc(["keys", "generate", "--out", path("keys")]).status, 0)
        let readers: [[String]] = [
            ["registry", "list"], ["registry", "show", "btc"], ["registry", "diff", "btc@1", "btc@2"],
            ["registry", "history", "btc"], ["registry", "verify"], ["registry", "gc"],
            ["registry", "export", "btc@production", path("out.modelc")], ["registry", "alias", "set", "btc", "1", "staging"],
            ["registry", "alias", "remove", "btc", "staging"], ["registry", "promote", "btc", "1", "--to", "production"],
            ["registry", "rollback", "btc"], ["registry", "trust", "list"], ["registry", "trust", "remove", "0123456789abcdef"],
        ]
        let home = path("home")
        let ways: [(args: [String], env: [String: String], expected: String)] = [
            (["--registry", path("typo")], [:], "no registry at \(path("typo")) (from --registry)"),
            ([], ["MODELC_REGISTRY": path("typo")], "no registry at \(path("typo")) (from $MODELC_REGISTRY)"),
            ([], ["HOME": home], "no registry at \(home)/.modelc/registry (from the default)"),
        ]
        for (i, way) in ways.enumerated() {
            for args in i == 0 ? readers : Array(readers.prefix(2)) {  // every command once; the sources on two
                let r = try modelc(args + way.args, env: way.env)
                XCTAssertEqual(r.status, 1, args.joined(separator: " "))
                XCTAssertTrue(r.stderr.contains(way.expected), "\(args.joined(separator: " ")): \(r.stderr)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("typo")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: home))

        XCTAssertEqual(try modelc(["registry", "push", path("a.modelc"), "--name", "btc", "--registry", path("new")]).status, 0)
        XCTAssertEqual(try modelc(["registry", "list", "--registry", path("new")]).status, 0)
        XCTAssertEqual(try modelc(["registry", "trust", "add", path("keys/modelc.pub")], env: ["MODELC_REGISTRY": path("trusting")]).status, 0)
        XCTAssertEqual(try modelc(["registry", "trust", "list"], env: ["MODELC_REGISTRY": path("trusting")]).status, 0)
    }

    func testVerifyListsSignatureProblemsWhenSignaturesAreRequired() throws {
        let reg = ["--registry", path("registry")]
        XCTAssertEqual(try modelc(["keys", "generate", "--out", path("keys")]).status, 0)
        try TestArtifacts.write(to: path("a.modelc"), seed: 1)
        try TestArtifacts.write(to: path("b.modelc"), seed: 2)
        XCTAssertEqual(try modelc(["sign", path("b.modelc"), "--key", path("keys/modelc.key")]).status, 0)
        XCTAssertEqual(try modelc(["registry", "push", path("a.modelc"), path("b.modelc"), "--name", "btc"] + reg).status, 0)
        XCTAssertEqual(try modelc(["registry", "trust", "add", path("keys/modelc.pub")] + reg).status, 0)
        var r = try modelc(["registry", "verify"] + reg)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("signature: btc@1: artifact is not signed"), r.stdout)
        XCTAssertFalse(r.stdout.contains("btc@2"), r.stdout)
        r = try modelc(["registry", "verify", "--json"] + reg)
        let report = try XCTUnwrap(try r.json() as? [String: Any])
        XCTAssertEqual(report["ok"] as? Bool, false)
        XCTAssertEqual(report["signatureProblems"] as? [String], ["btc@1: artifact is not signed"])
    }
}
