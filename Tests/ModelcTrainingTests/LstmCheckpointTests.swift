import CHDF5
import Foundation
import XCTest
@testable import ModelcTraining

/// HDF5 checkpoints: an interrupted run resumes to the same bits; the file holds PyTorch names.
final class LstmCheckpointTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstm-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func makeTrainer(epochs: Int = 4) throws -> (LstmTrainer, SequenceDataset, SequenceDataset) {
        let train = try LstmTrainerTests.sumTask(count: 256, steps: 6, seed: 11)
        let validation = try LstmTrainerTests.sumTask(count: 64, steps: 6, seed: 12)
        var config = LstmTrainerTests.smallConfig()
        config.epochs = epochs
        config.augmentation = WindowAugmentation()
        config.schedule = .plateau(factor: 0.5, patience: 0, minFactor: 0.1)
        config.snapshots = 2
        let spec = NetworkSpec.seed(inputSize: 3, sequenceLength: 6, hidden: 4, heads: 2, fcHidden: 4, dropout: 0.2)
        return (try LstmTrainer(model: try SequenceModel(spec: spec, seed: 5), config: config), train, validation)
    }

    /// 2 epochs, stop, resume from the file, 2 more == 4 epochs in one go, bit for bit.
    func testResumeEqualsContinuousTraining() throws {
        let (continuous, train, validation) = try makeTrainer()
        try continuous.train(train: train, validation: validation)

        let path = folder.appendingPathComponent("run.h5").path
        let (first, _, _) = try makeTrainer()
        try first.train(train: train, validation: validation, checkpoint: path, epochLimit: 2)
        XCTAssertEqual(first.state.epochsDone, 2)
        let resumed = try LstmCheckpoint.resume(from: path)
        XCTAssertEqual(resumed.model.parameterVector, first.model.parameterVector)
        XCTAssertEqual(resumed.state, first.state)
        XCTAssertEqual(resumed.config, first.config)
        try resumed.train(train: train, validation: validation, checkpoint: path)

        XCTAssertEqual(resumed.model.parameterVector, continuous.model.parameterVector)
        XCTAssertEqual(resumed.state.optimizer, continuous.state.optimizer)
        XCTAssertEqual(resumed.state.snapshots, continuous.state.snapshots)
        XCTAssertEqual(resumed.state.plateau, continuous.state.plateau)
        XCTAssertEqual(resumed.state.history.map(\.validation), continuous.state.history.map(\.validation))
        XCTAssertEqual(resumed.state.history.map(\.trainLoss), continuous.state.history.map(\.trainLoss))
        XCTAssertEqual(try LstmCheckpoint.resume(from: path).state.epochsDone, 4)
    }

    /// Read with the HDF5 C library directly: weights under PyTorch names and shapes.
    func testFileHoldsPyTorchNamesAndShapes() throws {
        let (trainer, train, validation) = try makeTrainer(epochs: 1)
        let path = folder.appendingPathComponent("one.h5").path
        try trainer.train(train: train, validation: validation, checkpoint: path)
        let file = H5Fopen(path, chdf5_acc_rdonly(), chdf5_p_default())
        XCTAssertGreaterThanOrEqual(file, 0)
        defer { H5Fclose(file) }
        for name in ["lstm.weight_ih_l1_reverse", "attention.in_proj_weight", "fc.3.bias"] {
            let set = H5Dopen2(file, "/weights/\(name)", chdf5_p_default())
            XCTAssertGreaterThanOrEqual(set, 0, name)
            let space = H5Dget_space(set)
            var dims = [hsize_t](repeating: 0, count: Int(H5Sget_simple_extent_ndims(space)))
            H5Sget_simple_extent_dims(space, &dims, nil)
            XCTAssertEqual(dims.map { Int($0) }, trainer.model.layout.entry(name)!.shape, name)
            var values = [Float](repeating: 0, count: trainer.model.layout.entry(name)!.count)
            XCTAssertGreaterThanOrEqual(H5Dread(set, chdf5_native_float(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), &values), 0)
            XCTAssertEqual(values, trainer.model.tensor(name), name)
            H5Sclose(space)
            H5Dclose(set)
        }
        var step: Int64 = 0
        let set = H5Dopen2(file, "/optimizer/step", chdf5_p_default())
        XCTAssertGreaterThanOrEqual(H5Dread(set, chdf5_native_int64(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), &step), 0)
        H5Dclose(set)
        XCTAssertEqual(step, Int64(256 / 32))
    }

    func testBadFilesAreNamed() throws {
        let missing = folder.appendingPathComponent("missing.h5").path
        XCTAssertThrowsError(try LstmCheckpoint.resume(from: missing)) { XCTAssertTrue("\($0)".contains("no such file"), "\($0)") }
        let text = folder.appendingPathComponent("text.h5").path
        try "not hdf5".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LstmCheckpoint.resume(from: text)) { XCTAssertTrue("\($0)".contains("not an HDF5 file"), "\($0)") }
    }
}
