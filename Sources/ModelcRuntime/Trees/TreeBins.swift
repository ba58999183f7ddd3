import CModelcKernels

/// A forest's binned form for batches (`mck_forest_bins` in modelc_kernels.h, Spec.md §9.10):
/// each slot of the expanded row that some split reads becomes a column, each split a byte test
/// `bin >= rank` on its column, where a value's bin counts the column's distinct threshold keys at
/// or below the value's key. The batch kernel then tests one split over a whole block of rows in
/// byte vectors. Exact by construction: key(x) >= key(t) exactly when at least rank(t) of the
/// sorted distinct keys are <= key(x). A class: scoring copies a forest out of its member for
/// every row, and one reference costs one retain where five arrays cost five.
final class TreeBins: Sendable {
    /// Per column, MCK_BIN_TABLE keys (splitters, then the sorted keys padded with all-ones, each
    /// with its top bit flipped); only the table of the forest's key width is filled.
    let table32: [UInt32]
    let table64: [UInt64]
    /// Per column, the slot of the expanded row it bins.
    let slots: [UInt32]
    /// Per split record, 4 words (see `record`); complete trees list every position above their
    /// last level, other trees their splits.
    let splits: [UInt32]
    /// Per tree, and one more: the index of its first record.
    let first: [UInt32]

    private init(table32: [UInt32], table64: [UInt64], slots: [UInt32], splits: [UInt32], first: [UInt32]) {
        self.table32 = table32
        self.table64 = table64
        self.slots = slots
        self.splits = splits
        self.first = first
    }

    /// The binned form of a flattened forest (TreeForest's arrays), or nil when it does not fit
    /// the byte kernel: a tree laid out over more than MCK_BIN_MAX_POSITIONS (256) positions, more
    /// than MCK_BIN_MAX_COLUMNS (255) columns, or a column with more than MCK_BIN_MAX_KEYS (255)
    /// distinct thresholds.
    static func make(keys32: [UInt32], keys64: [UInt64], slots: [UInt32], pass: [Int32],
                     roots: [Int32], depths: [UInt32], heap: [UInt8]) -> TreeBins? {
        let layout = Layout(slots: slots, pass: pass, roots: roots, depths: depths, heap: heap)
        if keys64.isEmpty {
            guard let (table, columnSlots, splitColumns, ranks) = columns(keys32, slots: slots, pass: pass) else { return nil }
            return make(table32: table, table64: [], columnSlots: columnSlots, splitColumns: splitColumns, ranks: ranks, layout)
        }
        guard let (table, columnSlots, splitColumns, ranks) = columns(keys64, slots: slots, pass: pass) else { return nil }
        return make(table32: [], table64: table, columnSlots: columnSlots, splitColumns: splitColumns, ranks: ranks, layout)
    }

    /// TreeForest's arrays that place the nodes.
    private struct Layout {
        let slots: [UInt32], pass: [Int32], roots: [Int32], depths: [UInt32], heap: [UInt8]
    }

    /// Whether node `i` splits (a leaf's `pass` is itself plus one; a split's children come
    /// after it).
    private static func isSplit(_ i: Int, _ pass: [Int32]) -> Bool { Int(pass[i]) != i + 1 }

    /// The columns' tables, each column's slot, and each split's column and rank byte. A split
    /// whose test nothing passes (the all-ones key) reads a column of its own with no keys, where
    /// every bin is 0.
    private static func columns<Key: FixedWidthInteger & UnsignedInteger>(
        _ keys: [Key], slots: [UInt32], pass: [Int32]
    ) -> (table: [Key], columnSlots: [UInt32], splitColumns: [UInt8], ranks: [UInt8])? {
        var columnOfSlot: [Int] = [], columnSlots: [UInt32] = [], never = -1
        var sorted: [[Key]] = [], splitColumns: [UInt8] = []
        func newColumn(_ slot: UInt32) -> Int? {
            guard sorted.count < Int(MCK_BIN_MAX_COLUMNS) else { return nil }
            sorted.append([])
            columnSlots.append(slot)
            return sorted.count - 1
        }
        for i in keys.indices where isSplit(i, pass) {
            if keys[i] == Key.max {
                if never < 0 { guard let c = newColumn(slots[i]) else { return nil }; never = c }
                splitColumns.append(UInt8(never))
                continue
            }
            let slot = Int(slots[i])
            if slot >= columnOfSlot.count { columnOfSlot += [Int](repeating: -1, count: slot + 1 - columnOfSlot.count) }
            if columnOfSlot[slot] < 0 {
                guard let c = newColumn(slots[i]) else { return nil }
                columnOfSlot[slot] = c
            }
            sorted[columnOfSlot[slot]].append(keys[i])
            splitColumns.append(UInt8(columnOfSlot[slot]))
        }
        for c in sorted.indices {
            sorted[c].sort()
            var distinct: [Key] = []
            for key in sorted[c] where distinct.last != key { distinct.append(key) }
            guard distinct.count <= Int(MCK_BIN_MAX_KEYS) else { return nil }
            sorted[c] = distinct
        }
        let groups = Int(MCK_BIN_GROUPS)
        var table: [Key] = []
        table.reserveCapacity(sorted.count * Int(MCK_BIN_TABLE))
        for column in sorted {
            table.append(Key.max)
            for g in 1..<groups { table.append(16 * g < column.count ? column[16 * g] : Key.max) }
            table += column
            table += [Key](repeating: Key.max, count: 16 * groups - column.count)
        }
        // The kernel compares signed: flipping the top bit keeps the order.
        let top = Key(1) << (Key.bitWidth - 1)
        for k in table.indices { table[k] ^= top }
        var ranks: [UInt8] = []
        var s = 0
        for i in keys.indices where isSplit(i, pass) {
            defer { s += 1 }
            guard keys[i] != Key.max else {
                ranks.append(0)  // bin 0 > 0 never holds
                continue
            }
            // rank − 1 is the key's index among the column's sorted keys.
            let column = sorted[Int(splitColumns[s])]
            var lo = 0, hi = column.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if column[mid] < keys[i] { lo = mid + 1 } else { hi = mid }
            }
            ranks.append(UInt8(lo))
        }
        return (table, columnSlots, splitColumns, ranks)
    }

    private static func make(table32: [UInt32], table64: [UInt64], columnSlots: [UInt32], splitColumns: [UInt8],
                             ranks: [UInt8], _ layout: Layout) -> TreeBins? {
        let pass = layout.pass, roots = layout.roots
        var splits: [UInt32] = [], first: [UInt32] = []
        first.reserveCapacity(roots.count + 1)
        var s = 0
        for t in roots.indices {
            let root = Int(roots[t]), end = t + 1 < roots.count ? Int(roots[t + 1]) : pass.count
            guard end - root <= Int(MCK_BIN_MAX_POSITIONS) else { return nil }
            first.append(UInt32(splits.count / 4))
            // A complete tree's leaves above its last level get placeholder records (which child
            // a row takes there does not matter: all below a leaf are copies of it).
            let positions = layout.heap[t] != 0 ? (1 << layout.depths[t]) - 1 : end - root
            for i in root..<(root + positions) {
                guard isSplit(i, pass) else {
                    if layout.heap[t] != 0 { splits += record(threshold: 0, position: 0, pass: 1, column: 0) }
                    continue
                }
                splits += record(threshold: ranks[s], position: i - root, pass: Int(pass[i]) - root,
                                 column: Int(splitColumns[s]))
                s += 1
            }
        }
        first.append(UInt32(splits.count / 4))
        return TreeBins(table32: table32, table64: table64, slots: columnSlots, splits: splits, first: first)
    }

    /// A split record: the threshold byte (its top bit flipped: the kernel compares signed bytes),
    /// the position and pass − 1 − position, each byte four times over (the kernel broadcasts a
    /// word), then the column.
    private static func record(threshold: UInt8, position: Int, pass: Int, column: Int) -> [UInt32] {
        func four(_ byte: UInt8) -> UInt32 { UInt32(byte) &* 0x0101_0101 }
        return [four(threshold ^ 0x80), four(UInt8(position)), four(UInt8(truncatingIfNeeded: pass - 1 - position)),
                UInt32(column)]
    }

    /// Runs `body` with the C view of the binned form.
    func withKernel<R>(_ body: (UnsafePointer<mck_forest_bins>) -> R) -> R {
        slots.withUnsafeBufferPointer { slots in
            splits.withUnsafeBufferPointer { splits in
                first.withUnsafeBufferPointer { first in
                    func run(_ table: UnsafeRawBufferPointer) -> R {
                        var bins = mck_forest_bins(table: table.baseAddress, slot: slots.baseAddress,
                                                   n_columns: slots.count, split: splits.baseAddress,
                                                   first: first.baseAddress)
                        return body(&bins)
                    }
                    return table64.isEmpty ? table32.withUnsafeBytes(run) : table64.withUnsafeBytes(run)
                }
            }
        }
    }
}
