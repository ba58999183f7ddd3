import Foundation
import ModelcFormat

/// The card's first line (Spec.md §14.3): whether the dual model beats the plain reference on
/// the holdout, per target, by ROC AUC, with its Brier skill and what the policy does.
enum Headline {
    static func text(_ metrics: [Modelc_Metric], policy: SpecialistPolicy?, abstentions: [String]) -> String {
        func value(_ component: String, _ name: String) -> Double? {
            metrics.first { $0.component == component && $0.name == name }?.value
        }
        var parts: [String] = [], beats = true, compared = false
        for target in ["long", "short"] {
            guard let blend = value("holdout/\(target)/blend", "auc") else { continue }
            let skill = value("holdout/\(target)/blend", "brier_skill") ?? .nan
            if let reference = value("holdout/\(target)/reference", "auc") {
                compared = true
                if !(blend > reference) { beats = false }
                parts.append(String(format: "%@ AUC %.3f vs reference %.3f, Brier skill %+.3f", target.uppercased(), blend, reference, skill))
            }
        }
        guard compared else { return "No holdout rows to compare the model with its reference on." }
        var line = (beats ? "Beats the plain reference on the holdout: " : "Does NOT beat the plain reference on the holdout: ")
            + parts.joined(separator: "; ")
        if let policy {
            line += policy.longEntry > 1 && policy.shortEntry > 1 ? ". Policy: does not trade (\(abstentions.joined(separator: "; ")))"
                : String(format: ". Policy: holdout return %@ after costs", value("holdout/backtest/blend", "total_return").map { String(format: "%+.2f %%", 100 * $0) } ?? "n/a")
        }
        return line + "."
    }
}
