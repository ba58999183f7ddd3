/// Training-time augmentation of a window: with probability `shiftProbability` the window
/// ends 1…`maxShift` candles earlier (older data under the same label; never later, never
/// across a gap), then Gaussian noise of standard deviation `noiseSigma` is added to every
/// standardised feature value. Draws come from the sample's own seed, so they do not depend on
/// the batch split.
public struct WindowAugmentation: Codable, Sendable, Equatable {
    public var noiseSigma = 0.01
    public var shiftProbability = 0.25
    public var maxShift = 3

    public init(noiseSigma: Double = 0.01, shiftProbability: Double = 0.25, maxShift: Int = 3) {
        self.noiseSigma = noiseSigma
        self.shiftProbability = shiftProbability
        self.maxShift = maxShift
    }

    /// No augmentation.
    public static let none = WindowAugmentation(noiseSigma: 0, shiftProbability: 0, maxShift: 0)

    /// Candles to move window `i` back, at most what its run allows.
    func shift(_ rng: inout NNRandom, window i: Int, in data: SequenceDataset) -> Int {
        guard shiftProbability > 0, maxShift > 0, rng.uniform() < shiftProbability else { return 0 }
        let wanted = 1 + rng.below(maxShift)
        let room = data.windowEnds[i] - data.sequenceLength + 1 - data.runStarts[i]
        return min(wanted, room)
    }

    /// Writes the (augmented when `rng` is given) windows `batch[rows]` of `data` time-major into `input`.
    static func gather(_ data: SequenceDataset, batch: [Int], rows: Range<Int>, into input: UnsafeMutablePointer<Float>,
                       augmentation: WindowAugmentation?, seeds: [UInt64]) {
        let n = rows.count, f = data.featureCount, steps = data.sequenceLength
        data.rows.withUnsafeBufferPointer { source in
            for (r, position) in rows.enumerated() {
                let i = batch[position]
                var rng = NNRandom(seed: seeds[position], 0xA06)
                let shift = augmentation.map { $0.shift(&rng, window: i, in: data) } ?? 0
                let first = data.windowEnds[i] - shift - steps + 1
                for t in 0..<steps { (input + (t * n + r) * f).update(from: source.baseAddress! + (first + t) * f, count: f) }
                if let sigma = augmentation?.noiseSigma, sigma > 0 {
                    for t in 0..<steps {
                        let row = input + (t * n + r) * f
                        for j in 0..<f { row[j] += Float(sigma * rng.normal()) }
                    }
                }
            }
        }
    }
}
