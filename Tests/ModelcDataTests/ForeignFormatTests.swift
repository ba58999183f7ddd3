import CHDF5
import Foundation
import ModelcData
import XCTest

/// Candle files in formats modelc does not read are refused naming the format and how to
/// convert it, never by echoing their bytes as a CSV header.
final class ForeignFormatTests: XCTestCase {
    func refusal(_ bytes: [UInt8], _ name: String) throws -> String {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        guard case .format(let file, nil, let message)? = TestSupport.error({ try CandleLoader.check(path: path) }) else {
            XCTFail("\(name): expected a format error")
            return ""
        }
        XCTAssertEqual(file, path)
        return message
    }

    func testCommonCandleFormatsAreNamed() throws {
        let cases: [([UInt8], String, String)] = [
            (Array("FEA1\0\0\0\0".utf8), "BTC_USDT-1h.feather", "is a feather v1 file"),
            ([0xFF, 0xFF, 0xFF, 0xFF, 0x78, 0, 0, 0], "BTC_USDT-1h.arrows", "is an Apache Arrow IPC stream"),
            (Array("PAR1\u{15}\u{04}".utf8), "BTC_USDT-1h.parquet", "is an Apache Parquet file"),
            ([0x89] + Array("MODELC\n".utf8) + [1, 0], "model.modelc", "is a modelc artifact, not candles"),
        ]
        for (bytes, name, kind) in cases {
            let message = try refusal(bytes, name)
            XCTAssertTrue(message.hasPrefix(kind), "\(name): \(message)")
            XCTAssertTrue(message.contains("modelc reads CSV, JSON, feather (Arrow IPC files; these gzipped or not) and HDF5") || name.hasSuffix(".modelc"), message)
            XCTAssertFalse(message.contains("column 1"), message)
        }
    }

    /// A real ZIP archive (numpy's .npz from the shared fixtures).
    func testAZipArchiveIsNamed() throws {
        let npz = TestSupport.sharedData.deletingLastPathComponent().appendingPathComponent("fixtures/lstm/weights_f19.npz")
        let message = try refusal([UInt8](try Data(contentsOf: npz)), "BTCUSDT-1h-2025-10.zip")
        XCTAssertTrue(message.hasPrefix("is a ZIP archive"), message)
    }

    /// An HDF5 file pandas wrote (PyTables marks its root) is named as such.
    func testAPandasHDF5FileIsNamed() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("BTC_USDT-1h.h5").path
        let file = H5Fcreate(path, chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default())
        let root = H5Gopen2(file, "/", chdf5_p_default())
        let space = H5Screate(H5S_SCALAR)
        let attr = H5Acreate2(root, "PYTABLES_FORMAT_VERSION", chdf5_std_i64le(), space, chdf5_p_default(), chdf5_p_default())
        var version: Int64 = 2
        H5Awrite(attr, chdf5_native_int64(), &version)
        H5Aclose(attr)
        H5Sclose(space)
        H5Gclose(H5Gcreate2(file, "/data", chdf5_p_default(), chdf5_p_default(), chdf5_p_default()))
        H5Gclose(root)
        H5Fclose(file)
        guard case .hdf5(_, "/candles", let message)? = TestSupport.error({ try CandleLoader.read(path: path) }) else { return XCTFail() }
        XCTAssertTrue(message.contains("pandas / PyTables HDF5 file"), message)
    }
}
