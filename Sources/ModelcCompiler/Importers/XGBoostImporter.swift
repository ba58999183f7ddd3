import Foundation
import ModelcFormat
import ModelcRuntime

/// Reads an XGBoost model saved as JSON (`.json`) or UBJSON (`.ubj`) and maps it to a tree
/// ensemble that scores exactly as XGBoost's own predictor (Spec.md, "Tree ensembles"):
/// float32 inputs, thresholds and leaves; `x < t` goes left; NaN follows `default_left`; a
/// float32 running sum from the base margin, trees in order.
///
/// Supported: `gbtree` and `dart` (each tree's leaves scaled by its weight) with objective
/// `binary:logistic` or `reg:logistic` (a probability), `reg:squarederror` (a value) or
/// `multi:softprob` (class probabilities: K trees a round), numerical and categorical splits
/// (the latter written as numerical ones by CategoricalTree). Refused, with the reason:
/// gblinear, other objectives, multi-target models, parallel trees, categories re-coded by name,
/// trees with deleted nodes.
public enum XGBoostImporter {
    public enum Encoding {
        case json, ubjson
    }

    /// Reads `path`; `.ubj` is UBJSON, `.json` JSON, anything else is sniffed.
    public static func read(path: String) throws(ImportError) -> ImportedEnsemble {
        let bytes = try readFile(path)
        guard bytes.first == UInt8(ascii: "{") else {
            throw ImportError(path, "not an XGBoost JSON or UBJSON model (it does not start with '{')")
        }
        let lower = path.lowercased()
        let encoding: Encoding = lower.hasSuffix(".ubj") ? .ubjson
            : lower.hasSuffix(".json") ? .json
            : (bytes.count > 1 && bytes[0] == UInt8(ascii: "{") && isJSONStart(bytes[1]) ? .json : .ubjson)
        return try parse(bytes, file: path, encoding: encoding)
    }

    public static func parse(_ bytes: [UInt8], file: String, encoding: Encoding) throws(ImportError) -> ImportedEnsemble {
        let root = DocumentCursor(
            encoding == .json ? try JSONDocumentReader.parse(bytes, file: file) : try UBJSONDocumentReader.parse(bytes, file: file),
            file: file)
        let learner = try root.child("learner")
        let params = try learner.child("learner_model_param")

        let objective = try learner.child("objective").child("name").string()
        let numClass = try params.optionalChild("num_class")?.integer() ?? 0
        let numTarget = try params.optionalChild("num_target")?.integer() ?? 1
        let kind: TreeModelKind
        switch objective {
        case "binary:logistic", "reg:logistic": kind = .binary
        case "reg:squarederror": kind = .regression
        case "multi:softprob":
            guard numClass >= 2, numClass <= Int64(ArtifactLimits.maxTreeClasses) else {
                throw ImportError(file, "multi:softprob with num_class \(numClass) is not supported (2 to \(ArtifactLimits.maxTreeClasses) classes are)")
            }
            kind = .multiclass(classes: Int(numClass))
        default:
            throw ImportError(file, "objective '\(objective)' is not supported (binary:logistic, reg:logistic, reg:squarederror and multi:softprob are)")
        }
        guard numTarget <= 1, numClass <= 1 || objective == "multi:softprob" else {
            throw ImportError(file, "models with several outputs (num_class \(numClass), num_target \(numTarget)) are not supported")
        }
        let classes = max(1, Int(numClass))
        let booster = try learner.child("gradient_booster")
        let boosterName = try booster.child("name").string()
        guard boosterName == "gbtree" || boosterName == "dart" else {
            throw ImportError(file, "booster '\(boosterName)' is not supported (gbtree and dart are)")
        }
        let dart = boosterName == "dart"
        let numFeature = try params.child("num_feature").integer()
        guard numFeature > 0, numFeature <= Int64(UInt32.max) else {
            throw params.fail("num_feature \(numFeature) is out of range")
        }

        var ensemble = Modelc_TreeEnsemble()
        ensemble.numFeatures = UInt32(numFeature)
        let baseScore = try params.child("base_score")
        switch kind {
        case .binary:
            ensemble.baseScore = Double(try baseMargin(baseScore))
            ensemble.link = .logistic
        case .regression:
            ensemble.baseScore = Double(try baseValues(baseScore, count: 1)[0])
            ensemble.link = .identity
        case .multiclass:
            ensemble.numClass = UInt32(classes)
            ensemble.classBaseScore = try baseValues(baseScore, count: classes).map(Double.init)
            ensemble.link = .softmax
        }
        ensemble.comparison = .splitLessThan
        ensemble.precision = .thresholdF32
        ensemble.source = .treesXgboost
        let model = try (dart ? booster.child("gbtree") : booster).child("model")
        if let parallel = try model.optionalChild("gbtree_model_param")?.optionalChild("num_parallel_tree")?.integer(), parallel != 1 {
            throw model.fail("num_parallel_tree \(parallel) is not supported (1 is)")
        }
        // XGBoost 3.x keeps the category names of a pandas frame and re-codes a frame's columns
        // when predicting; modelc reads the codes themselves.
        if let encoding = model.optionalChild("cats")?.optionalChild("enc"), try !encoding.elements().isEmpty {
            throw encoding.fail("the model re-codes categories by name (trained on pandas categoricals); not supported")
        }
        let trees = try model.child("trees").elements()
        if let info = model.optionalChild("tree_info") {
            // Round-robin over the classes, as tree t of a multiclass ensemble adds to class t mod K.
            for (t, group) in try info.integers().enumerated() where group != Int64(t % classes) {
                throw info.fail("tree \(t) adds to output group \(group), expected \(t % classes)")
            }
        }
        // DART scales each tree's output by its weight in float32 when predicting: the same
        // float32 products, made once here, give the same sums.
        let weights = dart ? try booster.child("weight_drop").floats32() : nil
        if let weights, weights.count != trees.count {
            throw booster.fail("weight_drop has \(weights.count) weights for \(trees.count) trees")
        }
        ensemble.trees = try trees.enumerated().map { (t, cursor) throws(ImportError) in
            try tree(cursor, weight: weights?[t])
        }
        // XGBoost names unnamed columns f0, f1, … itself.
        let names = try learner.optionalChild("feature_names")?.elements().map { (n) throws(ImportError) in try n.string() } ?? []
        return try ImportedEnsemble(ensemble, kind: kind, library: "xgboost " + (try version(root)), file: file,
                                    featureNames: names.isEmpty ? (0..<Int(numFeature)).map { "f\($0)" } : names,
                                    namesAreDefaults: names.isEmpty)
    }

    /// XGBoost stores `base_score` in probability space (3.x as a one-element vector string,
    /// "[4.55035E-1]") and applies `-logf(1/p - 1)` in float32 with the C library's logf. This
    /// runs once, here, so the artifact carries the margin XGBoost adds and the runtime needs
    /// no log.
    static func baseMargin(_ field: DocumentCursor) throws(ImportError) -> Float {
        let p = try baseValues(field, count: 1)[0]
        guard p > 0, p < 1 else { throw field.fail("base_score \(p) is not a probability in (0, 1)") }
        let odds: Float = 1 / p - 1
        return -logf(odds)
    }

    /// `base_score` as the float32 values XGBoost stores: one, or (3.x, multiclass) one per
    /// class, "[a,b,c]"; one value serves every class. For reg:squarederror and multi:softprob
    /// they are margins already.
    static func baseValues(_ field: DocumentCursor, count: Int) throws(ImportError) -> [Float] {
        var text = try field.string().trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 1 || values.count == count, values.allSatisfy({ $0?.isFinite == true }) else {
            throw field.fail("expected \(count == 1 ? "one finite number" : "1 or \(count) finite numbers"), found '\(text)'")
        }
        let floats = values.map { $0! }
        return floats.count == count ? floats : [Float](repeating: floats[0], count: count)
    }

    /// One tree; a DART tree's leaves multiplied by its `weight` in float32.
    private static func tree(_ t: DocumentCursor, weight: Float?) throws(ImportError) -> Modelc_Tree {
        let left = try t.child("left_children").integers()
        let right = try t.child("right_children").integers()
        let feature = try t.child("split_indices").integers()
        let condition = try t.child("split_conditions").floats32()
        let defaultLeft = try t.child("default_left").integers()
        let n = left.count
        for (name, count) in [("right_children", right.count), ("split_indices", feature.count),
                              ("split_conditions", condition.count), ("default_left", defaultLeft.count)] where count != n {
            throw t.fail("\(name) has \(count) entries, left_children has \(n)")
        }
        let types = try t.optionalChild("split_type")?.integers() ?? []
        guard types.isEmpty || types.count == n, types.allSatisfy({ $0 == 0 || $0 == 1 }) else {
            throw t.fail("split_type must have \(n) entries of 0 (numerical) or 1 (categorical)")
        }
        if let deleted = try t.optionalChild("tree_param")?.optionalChild("num_deleted")?.integer(), deleted != 0 {
            throw t.fail("\(deleted) deleted nodes (not supported)")
        }
        for i in 0..<n {
            guard left[i] == -1 || (left[i] > i && left[i] < n && right[i] > i && right[i] < n), feature[i] >= 0, feature[i] <= Int64(UInt32.max) else {
                throw t.fail("node \(i) has children \(left[i]), \(right[i]) and feature \(feature[i]) outside the tree")
            }
        }
        func leafValue(_ i: Int) -> Double { Double(weight.map { condition[i] * $0 } ?? condition[i]) }
        if types.contains(1) {
            let categories = try nodeCategories(t, nodes: n)
            let nodes: [CategoricalTree.Node] = (0..<n).map { i in
                if left[i] == -1 { return .leaf(leafValue(i)) }
                if types[i] == 0 {
                    return .split(feature: UInt32(feature[i]), threshold: Double(condition[i]), defaultLeft: defaultLeft[i] != 0,
                                  missing: .missingNanDefault, left: Int(left[i]), right: Int(right[i]))
                }
                return .categorical(feature: UInt32(feature[i]), intervals: categoryIntervals(categories[i] ?? []),
                                    nanLeft: defaultLeft[i] != 0, left: Int(left[i]), right: Int(right[i]))
            }
            return try CategoricalTree(nodes: nodes) { t.fail($0) }.build()
        }
        var tree = Modelc_Tree()
        for i in 0..<n {
            let leaf = left[i] == -1
            tree.leftChild.append(leaf ? -1 : Int32(left[i]))
            tree.rightChild.append(leaf ? -1 : Int32(right[i]))
            tree.splitFeature.append(leaf ? 0 : UInt32(feature[i]))
            // A leaf's value is stored in split_conditions.
            tree.threshold.append(leaf ? 0 : Double(condition[i]))
            tree.leafValue.append(leaf ? leafValue(i) : 0)
            tree.defaultLeft.append(!leaf && defaultLeft[i] != 0)
            tree.missing.append(.missingNanDefault)
        }
        return tree
    }

    /// The category set of each categorical node (`categories_nodes`, `_segments`, `_sizes`
    /// index `categories`).
    private static func nodeCategories(_ t: DocumentCursor, nodes n: Int) throws(ImportError) -> [Int: [Int64]] {
        let all = try t.child("categories").integers()
        let owners = try t.child("categories_nodes").integers()
        let starts = try t.child("categories_segments").integers(), sizes = try t.child("categories_sizes").integers()
        guard starts.count == owners.count, sizes.count == owners.count else {
            throw t.fail("categories_nodes, categories_segments and categories_sizes differ in length")
        }
        var sets: [Int: [Int64]] = [:]
        for (k, node) in owners.enumerated() {
            guard node >= 0, node < n, starts[k] >= 0, sizes[k] >= 0, starts[k] + sizes[k] <= all.count else {
                throw t.fail("categories entry \(k) (node \(node)) is outside the tree or the category list")
            }
            let set = Array(all[Int(starts[k])..<Int(starts[k] + sizes[k])])
            guard set.allSatisfy({ $0 >= 0 && $0 < maxCategory }) else {
                throw t.fail("node \(node) has a category outside 0..<\(maxCategory)")
            }
            sets[Int(node)] = set
        }
        return sets
    }

    /// Categories are below 2^24 (float32 holds every one exactly).
    static let maxCategory: Int64 = 1 << 24

    /// The side of each interval of x for a categorical split whose right categories are `set`:
    /// XGBoost sends x right when x ≥ 0 and x truncated toward zero is in the set, else left (a
    /// negative x, or a category past the set). So (−inf, 0) left, [c, c + 1) per category c,
    /// [max + 1, +inf) left; bounds for `x < t` (NaN takes the node's default side).
    private static func categoryIntervals(_ set: [Int64]) -> [(upper: Double?, left: Bool)] {
        var intervals = CategoricalTree.Intervals()
        intervals.add(0, left: true)
        var next: Int64 = 0  // the first category not yet covered
        for c in set.sorted() where c >= next {
            if c > next { intervals.add(Double(c), left: true) }
            intervals.add(Double(c + 1), left: false)
            next = c + 1
        }
        intervals.add(nil, left: true)
        return intervals.sides
    }

    private static func version(_ root: DocumentCursor) throws(ImportError) -> String {
        guard let v = root.optionalChild("version") else { return "(version unknown)" }
        return try v.integers().map(String.init).joined(separator: ".")
    }

    private static func isJSONStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "}") || byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

/// The bytes of `path`; the error names the file.
func readFile(_ path: String) throws(ImportError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ImportError(path, "cannot read the file")
    }
    return [UInt8](data)
}
