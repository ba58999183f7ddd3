/// One train/test split. Boundaries are unix seconds, each span half-open [start, end); rows are
/// the labelled rows whose open time falls inside, listed series by series in time order.
public struct WalkForwardWindow: Sendable, Equatable {
    /// 0-based position in time order.
    public let index: Int
    public let trainStart: Int64
    public let trainEnd: Int64
    /// `trainEnd + purge`: the purge [trainEnd, testStart) belongs to neither side.
    public let testStart: Int64
    public let testEnd: Int64
    public let train: [RowRef]
    public let test: [RowRef]
}
