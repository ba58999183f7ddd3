import Foundation

/// What the trainer reports on a labelled set: the class-weighted cross-entropy it minimises,
/// accuracy and balanced accuracy of the arg-max class, and the ROC AUC of the positive
/// class's probability (ties share their average rank).
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    public var loss: Double
    public var accuracy: Double
    public var balancedAccuracy: Double
    public var auc: Double

    /// `logits` is `[labels.count, classes]`.
    static func measure(logits: [Float], labels: [Int32], classes: Int, classWeights: [Double], positiveClass: Int) -> ClassificationMetrics {
        let n = labels.count
        guard n > 0 else { return ClassificationMetrics(loss: .nan, accuracy: .nan, balancedAccuracy: .nan, auc: .nan) }
        let normaliser = labels.reduce(0.0) { $0 + classWeights[Int($1)] }
        let loss = logits.withUnsafeBufferPointer { z in
            labels.withUnsafeBufferPointer { y in
                SoftmaxCrossEntropy.loss(logits: z.baseAddress!, labels: y.baseAddress!, rows: n, classes: classes,
                                         classWeights: classWeights, normaliser: normaliser, gradient: nil as UnsafeMutablePointer<Float>?)
            }
        }
        var correct = [Int](repeating: 0, count: classes), total = [Int](repeating: 0, count: classes)
        var scores = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let row = Array(logits[(i * classes)..<((i + 1) * classes)])
            var predicted = 0
            for c in 1..<classes where row[c] > row[predicted] { predicted = c }  // first maximum, like argmax
            let y = Int(labels[i])
            total[y] += 1
            if predicted == y { correct[y] += 1 }
            // softmax probability of the positive class, in Double
            let m = Double(row[predicted])
            let sum = row.reduce(0.0) { $0 + exp(Double($1) - m) }
            scores[i] = exp(Double(row[positiveClass]) - m) / sum
        }
        let present = (0..<classes).filter { total[$0] > 0 }
        let balanced = present.reduce(0.0) { $0 + Double(correct[$1]) / Double(total[$1]) } / Double(max(1, present.count))
        return ClassificationMetrics(loss: loss, accuracy: Double(correct.reduce(0, +)) / Double(n), balancedAccuracy: balanced,
                                     // NaN where it is undefined (one class absent, or a NaN score).
                                     auc: (try? BinaryMetrics.rocAUC(labels: labels.map { Int($0) == positiveClass }, scores: scores)) ?? .nan)
    }
}
