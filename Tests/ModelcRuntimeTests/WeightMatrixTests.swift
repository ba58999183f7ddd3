import ModelcRuntime
import XCTest

/// The dynamic int8 kernels' exact byte multiply-add needs weights in [-127, 127]: the loader
/// refuses -128 there, naming the tensor and element, and accepts the full ±127 range.
final class WeightMatrixTests: XCTestCase {
    private func int8Tensor(_ values: [Int8], rows: Int, cols: Int) throws -> TensorData {
        try TensorData(name: "lstm.weight_hh", dtypeRaw: TensorDType.int8.rawValue, shape: [UInt64(rows), UInt64(cols)],
                       data: values.map { UInt8(bitPattern: $0) }, scales: [Float](repeating: 0.01, count: rows))
    }

    func testDynamicInt8RefusesMinus128() throws {
        var values = [Int8](repeating: 127, count: 12)
        values[7] = -128
        let tensor = try int8Tensor(values, rows: 3, cols: 4)
        XCTAssertThrowsError(try WeightMatrix(tensor, rows: 3, cols: 4, dynamicInt8: true)) { error in
            let e = error as! ModelcError
            XCTAssertEqual(e.code, .invalidModel)
            XCTAssertTrue(e.message.contains("'lstm.weight_hh'") && e.message.contains("element 7"), e.message)
        }
        // Weight-only int8 dequantises -128 like any other value.
        XCTAssertNoThrow(try WeightMatrix(tensor, rows: 3, cols: 4, dynamicInt8: false))
        values[7] = -127
        XCTAssertNoThrow(try WeightMatrix(try int8Tensor(values, rows: 3, cols: 4), rows: 3, cols: 4, dynamicInt8: true))
    }
}
