import Foundation

/// Turns `TrainingEvent`s into lines for a person watching: one line per epoch (losses, the
/// validation metrics, throughput, time, whether it is the best so far, an early stop), and with
/// `.steps` a progress line at most every `interval` seconds (epoch, step, running loss, learning
/// rate, throughput, ETA), rewritten in place on a terminal. `.quiet` prints nothing.
public final class TrainingProgressPrinter: @unchecked Sendable {
    public enum Verbosity: String, Codable, Sendable {
        case quiet, epochs, steps
    }

    private let verbosity: Verbosity
    private let interval: Double
    private let inPlace: Bool
    private let write: (String) -> Void
    private var lastStepLine = -Double.infinity
    private var pendingStepLine = false

    /// `write` receives text to print (default: standard error); `inPlace` rewrites the step
    /// line with a carriage return (default: when standard error is a terminal).
    public init(_ verbosity: Verbosity = .steps, interval: Double = 1, inPlace: Bool? = nil,
                write: ((String) -> Void)? = nil) {
        self.verbosity = verbosity
        self.interval = interval
        self.inPlace = inPlace ?? (isatty(2) == 1)
        self.write = write ?? { FileHandle.standardError.write(Data($0.utf8)) }
    }

    /// The handler to pass to `LstmTrainer.train(progress:)`.
    public func callAsFunction(_ event: TrainingEvent) {
        switch event {
        case .step(let s):
            guard verbosity == .steps else { return }
            let now = Date().timeIntervalSinceReferenceDate
            guard now - lastStepLine >= interval || s.step == s.steps else { return }
            lastStepLine = now
            let line = "epoch \(s.epoch)/\(s.epochs)  step \(s.step)/\(s.steps)  loss \(fixed(s.loss, 4))  lr \(scientific(s.learningRate))  "
                + "\(Int(s.sequencesPerSecond.rounded())) seq/s  ETA \(Self.duration(s.etaSeconds))"
            if inPlace {
                write("\r\(line)\u{1B}[K")
                pendingStepLine = true
            } else {
                write(line + "\n")
            }
        case .epoch(let r, let improved, let stopping):
            guard verbosity != .quiet else { return }
            if pendingStepLine {
                write("\r\u{1B}[K")
                pendingStepLine = false
            }
            let v = r.validation
            var line = "epoch \(r.epoch)  train loss \(fixed(r.trainLoss, 4))  val loss \(fixed(v.loss, 4))  acc \(fixed(v.accuracy, 3))  "
                + "bal acc \(fixed(v.balancedAccuracy, 3))  AUC \(fixed(v.auc, 3))  \(Int(r.sequencesPerSecond.rounded())) seq/s  \(Self.duration(r.seconds))"
            if improved { line += "  best" }
            if stopping { line += "  early stop" }
            write(line + "\n")
        }
    }

    /// `3s`, `2m05s`, `1h02m`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m"
    }

    private func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
    private func scientific(_ x: Double) -> String { String(format: "%.1e", x) }
}
