/// Why a candle file could not be read or was refused. Every case names the file; the message
/// names the line, row, column, dataset or attribute, and what to do about it.
public enum CandleDataError: Error, CustomStringConvertible {
    /// The file could not be opened or read.
    case io(file: String, reason: String)
    /// The file is not a candle CSV modelc can read (header, empty file, timestamp form).
    case format(file: String, line: Int?, message: String)
    /// An HDF5 file lacks a dataset or attribute, or holds the wrong type or shape.
    case hdf5(file: String, object: String, message: String)
    /// The interval could not be inferred, or disagrees with the file.
    case interval(file: String, message: String)
    /// The file was read but has problems; training refuses it.
    case rejected(CandleCheckReport)

    /// How many problems `rejected` lists before pointing at `modelc data check`.
    public static let listedProblems = 5

    public var description: String {
        switch self {
        case .io(let file, let reason):
            return "\(file): \(reason)"
        case .format(let file, let line, let message):
            return line.map { "\(file): line \($0): \(message)" } ?? "\(file): \(message)"
        case .hdf5(let file, let object, let message):
            return "\(file): \(object): \(message)"
        case .interval(let file, let message):
            return "\(file): \(message)"
        case .rejected(let report):
            let log = report.problems
            var text = "\(report.file): \(log.total) problem\(log.total == 1 ? "" : "s") ("
                + log.counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
                + "); refusing to use these candles. First problems:"
            for problem in log.problems.prefix(Self.listedProblems) {
                text += "\n  \(problem)"
            }
            if log.total > Self.listedProblems {
                text += "\n  ... run `modelc data check \(report.file)` to list them all."
            }
            return text
        }
    }
}
