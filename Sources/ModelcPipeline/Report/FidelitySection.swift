import ModelcFormat

/// How far each quantised component's probabilities move from its f32 reference.
enum FidelitySection {
    static func render(_ fidelity: [Modelc_QuantizationFidelity]) -> String {
        let content = fidelity.isEmpty ? HTML.empty("no quantization fidelity recorded") : HTML.table(
            ["component", "precision", "max |\u{0394}p|", "p99 |\u{0394}p|", "decision agreement", "samples"],
            fidelity.map { f in
                [f.component, f.precision, ReportFormat.number(f.maxAbsDelta), ReportFormat.number(f.p99AbsDelta),
                 ReportFormat.percent(f.decisionAgreement), "\(f.samples)"]
            })
        return HTML.section("fidelity", "Quantization fidelity", [content])
    }
}
