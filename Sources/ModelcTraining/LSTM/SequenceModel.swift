import Foundation
import ModelcRuntime

/// A trainable sequence network in Float with PyTorch parameter names: what the trainer
/// produces, what checkpoints hold and what is exported as safetensors.
public final class SequenceModel: @unchecked Sendable {
    public let spec: NetworkSpec
    let network: Network<Float>

    /// PyTorch's default initialisation, drawn from `seed`.
    public init(spec: NetworkSpec, seed: UInt64 = 0) throws(ModelcError) {
        self.spec = spec
        network = try Network(spec: spec, seed: seed)
    }

    public var layout: ParameterLayout { network.layout }
    /// Logits per window (the classes).
    public var classes: Int { network.classes }

    /// The tensor `name` as stored (row-major, PyTorch shape), or nil.
    public func tensor(_ name: String) -> [Float]? {
        guard let e = layout.entry(name) else { return nil }
        return Array(UnsafeBufferPointer(start: network.parameters.pointer + e.offset, count: e.count))
    }

    /// All parameters, in layout order.
    public var parameterVector: [Float] { Array(UnsafeBufferPointer(start: network.parameters.pointer, count: layout.count)) }

    /// Replaces every parameter; `values` is in layout order.
    public func setParameterVector(_ values: [Float]) throws(ModelcError) {
        guard values.count == layout.count else {
            throw ModelcError(.invalidArgument, "parameter vector has \(values.count) values, the network has \(layout.count)")
        }
        values.withUnsafeBufferPointer { network.parameters.pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// Loads a PyTorch `state_dict` strictly (like `load_state_dict(strict=True)`): every
    /// parameter must be present with its shape, and no other tensor may be.
    public func load(stateDict: [String: (shape: [Int], values: [Float])], source: String) throws(ModelcError) {
        for name in stateDict.keys.sorted() where layout.entry(name) == nil {
            throw ModelcError(.invalidArgument, "\(source): unexpected tensor '\(name)' for this network")
        }
        for e in layout.entries {
            guard let t = stateDict[e.name] else { throw ModelcError(.invalidArgument, "\(source): missing tensor '\(e.name)'") }
            guard t.shape == e.shape, t.values.count == e.count else {
                throw ModelcError(.invalidArgument, "\(source): tensor '\(e.name)' has shape \(t.shape), expected \(e.shape)")
            }
            t.values.withUnsafeBufferPointer { network.parameters.pointer.advanced(by: e.offset).update(from: $0.baseAddress!, count: e.count) }
        }
    }

    /// Evaluation-mode logits `[count, classes]` for `count` windows given batch-major
    /// (`[count, sequenceLength, inputSize]`, oldest step first), in batches of `batchSize`.
    public func logits(windows: [Float], count: Int, batchSize: Int = 256, threads: Int = 1) throws(ModelcError) -> [Float] {
        let perWindow = spec.sequenceLength * spec.inputSize
        guard windows.count == count * perWindow else {
            throw ModelcError(.invalidArgument, "\(windows.count) values are not \(count) windows of \(spec.sequenceLength) x \(spec.inputSize)")
        }
        let runner = BatchRunner(network: network, threads: threads)
        return windows.withUnsafeBufferPointer { w in
            runner.logits(count: count, batchSize: batchSize) { window, step in w.baseAddress! + window * perWindow + step * self.spec.inputSize }
        }
    }
}

extension BatchRunner {
    /// Evaluation-mode logits of `count` windows; `row(window, step)` points at one step's features.
    func logits(count: Int, batchSize: Int, row: (Int, Int) -> UnsafePointer<Float>) -> [Float] {
        let classes = network.classes, spec = network.spec
        var out = [Float](repeating: 0, count: count * classes)
        let seeds = [UInt64](repeating: 0, count: batchSize)
        out.withUnsafeMutableBufferPointer { o in
            let outBase = o.baseAddress!
            seeds.withUnsafeBufferPointer { sp in
                let seedBase = sp.baseAddress!
                for start in stride(from: 0, to: count, by: batchSize) {
                    let n = min(batchSize, count - start)
                    run(batch: n, fill: { rows, input in
                        TimeMajor.gather(rows: rows, steps: spec.sequenceLength, features: spec.inputSize, into: input) { row(start + $0, $1) }
                    }, work: { [network] _, rows, tape, input in
                        let logits = network.forward(tape, input: input, batch: rows.count,
                                                     context: ForwardContext(training: false, sampleSeeds: seedBase))
                        (outBase + (start + rows.lowerBound) * classes).update(from: logits.data, count: rows.count * classes)
                    })
                }
            }
        }
        return out
    }
}

/// Builds time-major shard inputs from per-window rows.
enum TimeMajor {
    /// `input[(t·rows.count + r)·F + f] = row(rows.lowerBound + r, t)[f]`.
    @inline(__always)
    static func gather(rows: Range<Int>, steps: Int, features: Int, into input: UnsafeMutablePointer<Float>,
                       _ row: (Int, Int) -> UnsafePointer<Float>) {
        let n = rows.count
        for (r, window) in rows.enumerated() {
            for t in 0..<steps { (input + (t * n + r) * features).update(from: row(window, t), count: features) }
        }
    }
}
