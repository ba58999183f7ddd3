import ModelcFormat
import ModelcRuntime

/// Reads a LightGBM text model (`save_model`) and maps it to a tree ensemble that scores
/// exactly as LightGBM's own predictor (Spec.md, "Tree ensembles"): float64 inputs and
/// thresholds, `x <= t` goes left, each split's missing type and default direction from its
/// `decision_type`, leaf values as stored (shrinkage already applied), a float64 sum in tree
/// order starting at 0.
///
/// Node layout: a tree of L leaves becomes 2L-1 nodes, the L-1 splits in breadth-first order,
/// then the leaves in LightGBM's leaf order, so LightGBM's leaf k is node L-1+k; a tree with
/// categorical splits is written by CategoricalTree instead (numerical splits only, preorder).
///
/// Supported: objective `binary` with `sigmoid:1` (a probability), `regression` (a value) or
/// `multiclass` (class probabilities: K trees an iteration, tree t for class t mod K), gbdt or
/// random-forest boosting (`average_output`: the sum divided by the tree count), numerical and
/// categorical splits. Refused, with the reason: other objectives or sigmoid scales, linear trees.
public enum LightGBMImporter {
    public static func read(path: String) throws(ImportError) -> ImportedEnsemble {
        try parse(String(decoding: try readFile(path), as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws(ImportError) -> ImportedEnsemble {
        guard text.prefix(while: { !$0.isNewline }) == "tree" else {
            throw ImportError(file, "not a LightGBM text model (the first line is not 'tree')")
        }
        let sections = try Section.split(text, file: file)
        let header = sections[0]
        let version = try header.value("version")
        guard ["v2", "v3", "v4"].contains(version) else {
            throw header.fail("version", "model format '\(version)' is not supported (v2 to v4 are)")
        }
        let kind = try objectiveKind(header)
        let classes: Int
        if case .multiclass(let k) = kind { classes = k } else { classes = 1 }
        for key in ["num_class", "num_tree_per_iteration"] where try header.integer(key) != classes {
            throw header.fail(key, "\(key) must be \(classes) for objective '\(try header.value("objective"))'")
        }
        let maxFeature = try header.integer("max_feature_idx")
        guard maxFeature >= 0, maxFeature < Int(UInt32.max) else {
            throw header.fail("max_feature_idx", "\(maxFeature) is out of range")
        }

        var ensemble = Modelc_TreeEnsemble()
        ensemble.numFeatures = UInt32(maxFeature + 1)
        ensemble.baseScore = 0
        switch kind {
        case .binary: ensemble.link = .logistic
        case .regression: ensemble.link = .identity
        case .multiclass:
            ensemble.link = .softmax
            ensemble.numClass = UInt32(classes)
            ensemble.classBaseScore = [Double](repeating: 0, count: classes)
        }
        // Random forests (boosting=rf) average their trees' outputs.
        ensemble.averageTrees = header.has("average_output")
        ensemble.comparison = .splitLessEqual
        ensemble.precision = .thresholdF64
        ensemble.source = .treesLightgbm
        for section in sections.dropFirst() {
            guard section.name == "Tree=\(ensemble.trees.count)" else {
                throw ImportError(file, "line \(section.line): expected 'Tree=\(ensemble.trees.count)', found '\(section.name)'")
            }
            ensemble.trees.append(try tree(section))
        }
        // LightGBM writes its own default names (Column_0, …) when it was given none.
        let defaults = (0...maxFeature).map { "Column_\($0)" }
        let names = header.has("feature_names")
            ? try header.value("feature_names").split(separator: " ", omittingEmptySubsequences: true).map(String.init) : defaults
        return try ImportedEnsemble(ensemble, kind: kind, library: "lightgbm (model format \(version))", file: file,
                                    featureNames: names, namesAreDefaults: names == defaults)
    }

    /// `binary` (sigmoid:1 only), `regression` (without `sqrt`, which squares the output) or
    /// `multiclass` (softmax over num_class:K classes; not `multiclassova`).
    private static func objectiveKind(_ header: Section) throws(ImportError) -> TreeModelKind {
        let tokens = try header.value("objective").split(separator: " ")
        switch tokens.first {
        case "binary":
            for token in tokens.dropFirst() where token.hasPrefix("sigmoid:") {
                guard Double(token.dropFirst("sigmoid:".count)) == 1 else {
                    throw header.fail("objective", "\(token): only sigmoid:1 is supported")
                }
            }
            return .binary
        case "regression":
            if tokens.contains("sqrt") {
                throw header.fail("objective", "regression with sqrt (reg_sqrt) is not supported")
            }
            return .regression
        case "multiclass":
            guard let token = tokens.first(where: { $0.hasPrefix("num_class:") }), let k = Int(token.dropFirst("num_class:".count)),
                  k >= 2, k <= ArtifactLimits.maxTreeClasses else {
                throw header.fail("objective", "multiclass needs num_class:K with K from 2 to \(ArtifactLimits.maxTreeClasses)")
            }
            return .multiclass(classes: k)
        default:
            throw header.fail("objective", "objective '\(tokens.first ?? "")' is not supported (binary, regression and multiclass are)")
        }
    }

    private static func tree(_ s: Section) throws(ImportError) -> Modelc_Tree {
        let leaves = try s.integer("num_leaves")
        guard leaves >= 1, leaves < Int(Int32.max) / 2 else { throw s.fail("num_leaves", "\(leaves) is out of range") }
        let numCat = s.has("num_cat") ? try s.integer("num_cat") : 0
        guard numCat >= 0, numCat < leaves else { throw s.fail("num_cat", "\(numCat) is out of range") }
        if s.has("is_linear"), try s.integer("is_linear") != 0 {
            throw s.fail("is_linear", "linear trees (linear_tree) are not supported")
        }
        let leafValue = try s.doubles("leaf_value", count: leaves)
        var tree = Modelc_Tree()
        let splits = leaves - 1
        guard splits > 0 else {
            appendNode(&tree, feature: 0, threshold: 0, left: -1, right: -1, defaultLeft: false, missing: .missingNanDefault, leaf: leafValue[0])
            return tree
        }
        let feature = try s.integers("split_feature", count: splits)
        let threshold = try s.doubles("threshold", count: splits)
        let decision = try s.integers("decision_type", count: splits)
        let left = try s.integers("left_child", count: splits)
        let right = try s.integers("right_child", count: splits)

        // Splits in breadth-first order from the root, so children follow their parent.
        var order = [0]
        var position = [Int](repeating: -1, count: splits)
        position[0] = 0
        var k = 0
        while k < order.count {
            for child in [left[order[k]], right[order[k]]] where child >= 0 {
                guard child < splits, position[child] < 0 else {
                    throw s.fail("left_child", "split \(order[k]) has an invalid or repeated child \(child)")
                }
                position[child] = order.count
                order.append(child)
            }
            k += 1
        }
        guard order.count == splits else { throw s.fail("left_child", "\(splits - order.count) splits are unreachable") }
        if numCat > 0 {
            let boundaries = try s.integers("cat_boundaries", count: numCat + 1)
            guard boundaries.first == 0, zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw s.fail("cat_boundaries", "expected increasing offsets from 0")
            }
            let words = try s.integers("cat_threshold", count: boundaries[numCat])
            var nodes: [CategoricalTree.Node] = []
            func index(_ child: Int) -> Int { child >= 0 ? child : (~child < leaves ? splits + ~child : -1) }
            for j in 0..<splits {
                let f = try splitFeature(s, feature, j)
                guard decision[j] & 1 != 0 else {
                    nodes.append(.split(feature: f, threshold: nearZeroExact(threshold[j]), defaultLeft: decision[j] & 2 != 0,
                                        missing: try missingRule(s, decision, j), left: index(left[j]), right: index(right[j])))
                    continue
                }
                let set = Int(threshold[j])
                guard Double(set) == threshold[j], set >= 0, set < numCat else {
                    throw s.fail("threshold", "categorical split \(j) names category set \(threshold[j]); there are \(numCat)")
                }
                nodes.append(.categorical(feature: f, intervals: categoryIntervals(Array(words[boundaries[set]..<boundaries[set + 1]])),
                                          nanLeft: false, left: index(left[j]), right: index(right[j])))
            }
            nodes += leafValue.map { .leaf($0) }
            return try CategoricalTree(nodes: nodes) { s.fail("cat_threshold", $0) }.build()
        }
        func node(_ child: Int) throws(ImportError) -> Int32 {
            if child >= 0 { return Int32(position[child]) }
            guard ~child < leaves else { throw s.fail("left_child", "leaf \(~child) does not exist") }
            return Int32(splits + ~child)
        }
        for j in order {
            let d = decision[j]
            guard d & 1 == 0 else { throw s.fail("decision_type", "split \(j) is categorical, and num_cat is 0") }
            appendNode(&tree, feature: try splitFeature(s, feature, j), threshold: nearZeroExact(threshold[j]),
                       left: try node(left[j]), right: try node(right[j]), defaultLeft: d & 2 != 0,
                       missing: try missingRule(s, decision, j), leaf: 0)
        }
        for value in leafValue {
            appendNode(&tree, feature: 0, threshold: 0, left: -1, right: -1, defaultLeft: false, missing: .missingNanDefault, leaf: value)
        }
        return tree
    }

    /// The side of each interval of x for a categorical split whose left categories are the bits
    /// of `words`: LightGBM sends NaN right (whatever the missing type: checked against 4.7.0),
    /// otherwise truncates x toward zero to its category; negative ones, and those past the
    /// bitset, go right. So (−inf, −1] right, (−1, 1) category 0, [c, c + 1) category c, and
    /// [32·words, +inf) right; bounds for `x <= t`.
    private static func categoryIntervals(_ words: [Int]) -> [(upper: Double?, left: Bool)] {
        var intervals = CategoricalTree.Intervals()
        intervals.add(-1, left: false)
        for c in 0..<(words.count * 32) {
            intervals.add(Double(c + 1).nextDown, left: (words[c / 32] >> (c % 32)) & 1 != 0)
        }
        intervals.add(nil, left: false)
        return intervals.sides
    }

    /// Split `j`'s missing type, decision_type bits 2–3.
    static func missingRule(_ s: Section, _ decision: [Int], _ j: Int) throws(ImportError) -> Modelc_MissingRule {
        switch (decision[j] >> 2) & 3 {
        case 0: return .missingNone
        case 1: return .missingZeroDefault
        case 2: return .missingNanDefault
        default: throw s.fail("decision_type", "split \(j) has an unknown missing type")
        }
    }

    static func splitFeature(_ s: Section, _ feature: [Int], _ j: Int) throws(ImportError) -> UInt32 {
        guard feature[j] >= 0, feature[j] < Int(UInt32.max) else {
            throw s.fail("split_feature", "split \(j) reads feature \(feature[j])")
        }
        return UInt32(feature[j])
    }

    /// LightGBM reads every input with |x| <= kZeroThreshold (1e-35f) as 0.0 before any split.
    /// The runtime compares the raw input, so a threshold inside that band moves to where the
    /// raw comparison gives the same side for every input: t in [-k, 0) to just below -k (a
    /// near-zero input, read as 0, goes right), t in [0, k) to k (it goes left). Thresholds
    /// outside the band already agree.
    static func nearZeroExact(_ t: Double) -> Double {
        let k = TreeEnsembleDefinition.zeroThreshold
        if t >= -k && t < 0 { return (-k).nextDown }
        if t >= 0 && t < k { return k }
        return t
    }

    static func appendNode(_ tree: inout Modelc_Tree, feature: UInt32, threshold: Double, left: Int32, right: Int32,
                                   defaultLeft: Bool, missing: Modelc_MissingRule, leaf: Double) {
        tree.splitFeature.append(feature)
        tree.threshold.append(threshold)
        tree.leftChild.append(left)
        tree.rightChild.append(right)
        tree.defaultLeft.append(defaultLeft)
        tree.missing.append(missing)
        tree.leafValue.append(leaf)
    }
}

/// One block of a LightGBM text model: the header (`tree`) or a `Tree=K` block, as
/// `key=value` lines with their line numbers.
struct Section {
    var name: String
    var line: Int
    var fields: [(key: String, value: String, line: Int)] = []
    let file: String

    /// Splits the text into the header and the tree blocks, stopping at "end of trees".
    static func split(_ text: String, file: String) throws(ImportError) -> [Section] {
        var sections: [Section] = []
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line == "end of trees" { return sections }
            if line.isEmpty { continue }
            if sections.isEmpty || line.hasPrefix("Tree=") {
                sections.append(Section(name: String(line), line: lineNumber, file: file))
                continue
            }
            // The header's flags are bare keys (`average_output`).
            if sections.count == 1, !line.contains("="), line.allSatisfy({ $0.isLetter || $0 == "_" }) {
                sections[0].fields.append((String(line), "", lineNumber))
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw ImportError(file, "line \(lineNumber): expected key=value, found '\(line.prefix(60))'")
            }
            sections[sections.count - 1].fields.append(
                (String(line[..<eq]), String(line[line.index(after: eq)...]), lineNumber))
        }
        throw ImportError(file, "no 'end of trees' line: the model is truncated")
    }

    func has(_ key: String) -> Bool { fields.contains { $0.key == key } }

    func fail(_ key: String, _ what: String) -> ImportError {
        let line = fields.first { $0.key == key }?.line ?? self.line
        return ImportError(file, "line \(line) (\(name), \(key)): \(what)")
    }

    func value(_ key: String) throws(ImportError) -> String {
        guard let field = fields.first(where: { $0.key == key }) else {
            throw ImportError(file, "line \(line) (\(name)): missing '\(key)'")
        }
        return field.value
    }

    func integer(_ key: String) throws(ImportError) -> Int {
        guard let v = Int(try value(key)) else { throw fail(key, "expected an integer") }
        return v
    }

    func integers(_ key: String, count: Int) throws(ImportError) -> [Int] {
        try list(key, count: count) { Int($0) }
    }

    /// Numbers as written (LightGBM prints 17 significant digits), parsed correctly rounded.
    func doubles(_ key: String, count: Int) throws(ImportError) -> [Double] {
        try list(key, count: count) { Double($0) }
    }

    private func list<T>(_ key: String, count: Int, _ parse: (Substring) -> T?) throws(ImportError) -> [T] {
        let tokens = try value(key).split(separator: " ")
        guard tokens.count == count else { throw fail(key, "expected \(count) values, found \(tokens.count)") }
        var out: [T] = []
        out.reserveCapacity(count)
        for (i, token) in tokens.enumerated() {
            guard let v = parse(token) else { throw fail(key, "value \(i) '\(token)' is not a number") }
            out.append(v)
        }
        return out
    }
}
