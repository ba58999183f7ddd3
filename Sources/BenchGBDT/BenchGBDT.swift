// modelc-bench-gbdt: trains the GBDT on raw float32 / uint8 files and reports its time, for
// Tools/bench/gbdt.sh (which times LightGBM and XGBoost on the same files). Not a user tool.
//
//   modelc-bench-gbdt train=X.f32 labels=y.u8 test=T.f32 columns=23 out=margins.f64
//                     [trees=300 growth=leaf|depth leaves=63 depth=6 lr=0.1 lambda=1 alpha=0
//                      min_child_weight=1e-3 min_data=20 bins=255 threads=2 repeats=1 seed=0]
// Prints one JSON line per repeat: {"train_s": ..., "train_cpu_s": ..., "trees": ..., "nodes": ...};
// train_s (wall) and train_cpu_s (user + system time of all threads) cover binning and boosting
// (like LightGBM's Dataset construction plus lgb.train).
import Foundation
import ModelcRuntime
import ModelcTraining

@main
struct BenchGBDT {
    let options: [String: String]

    static func main() {
        var options: [String: String] = [:]
        for argument in CommandLine.arguments.dropFirst() {
            guard let eq = argument.firstIndex(of: "=") else { fail("expected key=value, got '\(argument)'") }
            options[String(argument[..<eq])] = String(argument[argument.index(after: eq)...])
        }
        do {
            try BenchGBDT(options: options).run()
        } catch {
            fail(error.message)
        }
    }

    func run() throws(ModelcError) {
        let columns = Int(number("columns", 0))
        let features = read(text("train"), as: Float.self)
        let labels = read(text("labels"), as: UInt8.self).map { $0 != 0 }
        let test = read(text("test"), as: Float.self)
        var p = GBDTParameters()
        p.numTrees = Int(number("trees", 300))
        p.learningRate = number("lr", 0.1)
        p.growth = options["growth"] == "depth"
            ? .depthWise(maxDepth: Int(number("depth", 6)))
            : .leafWise(numLeaves: Int(number("leaves", 63)), maxDepth: Int(number("depth", 0)))
        p.lambdaL2 = number("lambda", 1)
        p.alphaL1 = number("alpha", 0)
        p.minChildWeight = number("min_child_weight", 1e-3)
        p.minDataInLeaf = Int(number("min_data", 20))
        p.maxBins = Int(number("bins", 255))
        p.threads = Int(number("threads", 2))
        p.seed = UInt64(number("seed", 0))

        let data = try GBDTDataset(features: features, columns: columns, labels: labels)
        var last: GBDTTrainingResult?
        for _ in 0..<Int(number("repeats", 1)) {
            let (start, cpuStart) = (DispatchTime.now().uptimeNanoseconds, Self.cpuSeconds())
            let result = try GBDTTrainer.train(data, parameters: p)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let cpu = Self.cpuSeconds() - cpuStart
            let nodes = result.forest.trees.reduce(0) { $0 + $1.nodeCount }
            print("{\"train_s\": \(seconds), \"train_cpu_s\": \(cpu), \"trees\": \(result.forest.trees.count), \"nodes\": \(nodes)}")
            last = result
        }
        let margins = try last!.forest.margins(test)
        guard FileManager.default.createFile(atPath: text("out"), contents: margins.withUnsafeBytes { Data($0) }) else {
            Self.fail("cannot write \(text("out"))")
        }
    }

    /// User plus system CPU time of the whole process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("modelc-bench-gbdt: \(message)\n".utf8))
        exit(2)
    }

    func text(_ key: String) -> String {
        guard let value = options[key] else { Self.fail("missing \(key)=") }
        return value
    }

    func number(_ key: String, _ fallback: Double) -> Double {
        guard let value = options[key] else { return fallback }
        guard let x = Double(value) else { Self.fail("\(key)=\(value) is not a number") }
        return x
    }

    func read<T>(_ path: String, as: T.Type) -> [T] {
        guard let data = FileManager.default.contents(atPath: path) else { Self.fail("cannot read \(path)") }
        return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }
}
