import ModelcFormat
import ModelcTraining

/// The model card's metrics of one binary classifier on one set of rows.
enum ClassifierMetrics {
    /// base_rate, accuracy, precision, recall, f1 (of the positive class, from `predicted`),
    /// auc (when both classes occur), brier and log_loss (from `scores`, probabilities), and their
    /// skill against the constant `baseRate` (1 − score / the constant's score: above 0 is better
    /// than always predicting the training base rate).
    static func metrics(component: String, labels: [Bool], scores: [Double], predicted: [Bool], baseRate: Double) throws -> [Modelc_Metric] {
        guard !labels.isEmpty else { return [] }
        var tp = 0.0, fp = 0.0, fn = 0.0, tn = 0.0, brier = 0.0
        for i in labels.indices {
            switch (predicted[i], labels[i]) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, true): fn += 1
            case (false, false): tn += 1
            }
            let d = scores[i] - (labels[i] ? 1 : 0)
            brier += d * d
        }
        let n = Double(labels.count)
        let precision = tp + fp > 0 ? tp / (tp + fp) : 0
        let recall = tp + fn > 0 ? tp / (tp + fn) : 0
        var out: [(String, Double)] = [
            ("base_rate", (tp + fn) / n), ("accuracy", (tp + tn) / n), ("precision", precision), ("recall", recall),
            ("f1", precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0),
        ]
        if tp + fn > 0 && tn + fp > 0 { out.append(("auc", try BinaryMetrics.rocAUC(labels: labels, scores: scores))) }
        let logLoss = try BinaryMetrics.logLoss(labels: labels, probabilities: scores)
        let constantBrier = labels.reduce(0.0) { $0 + ($1 ? (1 - baseRate) * (1 - baseRate) : baseRate * baseRate) } / n
        let constantLogLoss = try BinaryMetrics.logLoss(labels: labels, probabilities: labels.map { _ in baseRate })
        out.append(("brier", brier / n))
        out.append(("brier_skill", constantBrier > 0 ? 1 - brier / n / constantBrier : 0))
        out.append(("log_loss", logLoss))
        out.append(("log_loss_skill", constantLogLoss > 0 ? 1 - logLoss / constantLogLoss : 0))
        return out.map { metric($0.0, component, $0.1) }
    }

    static func metric(_ name: String, _ component: String, _ value: Double) -> Modelc_Metric {
        var m = Modelc_Metric()
        m.name = name
        m.component = component
        m.value = value
        return m
    }

    /// Ten equal-width bins of predicted probability against the observed rate.
    static func calibration(component: String, labels: [Bool], scores: [Double], bins: Int = 10) -> [Modelc_CalibrationBin] {
        var count = [Int](repeating: 0, count: bins), sumP = [Double](repeating: 0, count: bins), pos = [Int](repeating: 0, count: bins)
        for (y, p) in zip(labels, scores) where !p.isNaN {
            let b = min(bins - 1, max(0, Int(p * Double(bins))))
            count[b] += 1
            sumP[b] += p
            if y { pos[b] += 1 }
        }
        return (0..<bins).filter { count[$0] > 0 }.map { b in
            var bin = Modelc_CalibrationBin()
            bin.component = component
            bin.lower = Double(b) / Double(bins)
            bin.upper = Double(b + 1) / Double(bins)
            bin.meanPredicted = sumP[b] / Double(count[b])
            bin.observedRate = Double(pos[b]) / Double(count[b])
            bin.count = UInt32(count[b])
            return bin
        }
    }
}
