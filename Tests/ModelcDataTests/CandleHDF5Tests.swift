import CHDF5
import Foundation
import ModelcData
import ModelcRuntime
import XCTest

/// HDF5: exact round trips, the documented layout read back with the plain C API, and errors
/// that name the file and the dataset.
final class CandleHDF5Tests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try TestSupport.temporaryFolder()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Random bit patterns (any double, NaN payloads included) and timestamps over the accepted
    /// years, both ends included.
    func randomCandles(_ count: Int) -> [Candle] {
        var rng = SplitMix64(seed: 5)
        func value() -> Double { Double(bitPattern: rng.next()) }
        let years = TimestampFormat.plausibleSeconds
        return (0..<count).map { i in
            Candle(timestamp: i == 0 ? years.lowerBound : i == 1 ? years.upperBound : Int64.random(in: years, using: &rng),
                   open: value(), high: value(), low: value(), close: value(), volume: i == 2 ? -0.0 : value())
        }
    }

    func testRoundTripIsBitExact() throws {
        let candles = randomCandles(1000)
        let metadata = CandleMetadata(symbol: "BTCUSDT", intervalSeconds: 3600, source: "Binance spot via freqtrade — ünïcode ok")
        try CandleHDF5.write(candles, metadata: metadata, to: path("c.h5"))
        let table = try CandleHDF5.read(path: path("c.h5"))
        XCTAssertEqual(table.container, .hdf5)
        XCTAssertEqual(table.metadata, metadata)
        XCTAssertEqual(table.rowCount, candles.count)
        XCTAssertEqual(table.candles.count, candles.count)
        func bits(_ c: Candle) -> [UInt64] {
            [UInt64(bitPattern: c.timestamp), c.open.bitPattern, c.high.bitPattern, c.low.bitPattern, c.close.bitPattern, c.volume.bitPattern]
        }
        XCTAssertEqual(table.candles.map(bits), candles.map(bits))
        XCTAssertEqual(table.location(of: 9).row, 10)
        XCTAssertNil(table.location(of: 9).line)
    }

    func testEmptyMetadataAndNoRows() throws {
        try CandleHDF5.write([], metadata: CandleMetadata(), to: path("e.h5"))
        let table = try CandleHDF5.read(path: path("e.h5"))
        XCTAssertEqual(table.candles, [])
        XCTAssertEqual(table.metadata, CandleMetadata())
    }

    /// The real BTC file through HDF5 and back gives the same report as the CSV.
    func testRealFileThroughHDF5() throws {
        let csv = TestSupport.sharedData.appendingPathComponent("ohlcv/SOLUSDT_1h.csv").path
        let fromCSV = try CandleLoader.load(path: csv)
        try CandleHDF5.write(fromCSV.candles, metadata: CandleMetadata(symbol: "SOLUSDT", intervalSeconds: 3600, source: csv), to: path("sol.h5"))
        let fromHDF5 = try CandleLoader.load(path: path("sol.h5"))
        XCTAssertEqual(fromHDF5.candles, fromCSV.candles)
        XCTAssertEqual(fromHDF5.report.gaps, fromCSV.report.gaps)
        XCTAssertEqual(fromHDF5.runs, fromCSV.runs)
        XCTAssertEqual(fromHDF5.report.intervalSource, .file)
        XCTAssertEqual(fromHDF5.metadata.symbol, "SOLUSDT")
    }

    /// The file holds what the layout says, read with the HDF5 C API directly.
    func testLayoutAsDocumented() throws {
        let candles = [Candle(timestamp: 1_502_942_400, open: 1.5, high: 2.5, low: 0.5, close: 2, volume: 7),
                       Candle(timestamp: 1_502_946_000, open: 2, high: 3, low: 1, close: 2.5, volume: 8)]
        try CandleHDF5.write(candles, metadata: CandleMetadata(symbol: "ETHUSDT", intervalSeconds: 3600, source: "s"), to: path("l.h5"))
        let file = H5Fopen(path("l.h5"), chdf5_acc_rdonly(), chdf5_p_default())
        XCTAssertGreaterThanOrEqual(file, 0)
        defer { H5Fclose(file) }
        func dataset<T>(_ name: String, _ type: hid_t, _ zero: T) -> (H5T_class_t, Int, [T]) {
            let d = H5Dopen2(file, name, chdf5_p_default())
            defer { H5Dclose(d) }
            let t = H5Dget_type(d)
            defer { H5Tclose(t) }
            var values = [T](repeating: zero, count: 2)
            _ = values.withUnsafeMutableBytes { H5Dread(d, type, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) }
            return (H5Tget_class(t), H5Tget_size(t), values)
        }
        let ts = dataset("/candles/timestamp", chdf5_native_int64(), Int64(0))
        XCTAssertEqual(ts.0, H5T_INTEGER)
        XCTAssertEqual(ts.1, 8)
        XCTAssertEqual(ts.2, [1_502_942_400, 1_502_946_000])
        for (name, expected) in [("open", [1.5, 2]), ("high", [2.5, 3]), ("low", [0.5, 1]), ("close", [2, 2.5]), ("volume", [7, 8])] {
            let d = dataset("/candles/\(name)", chdf5_native_double(), 0.0)
            XCTAssertEqual(d.0, H5T_FLOAT, name)
            XCTAssertEqual(d.1, 8, name)
            XCTAssertEqual(d.2, expected, name)
        }
        let group = H5Gopen2(file, "/candles", chdf5_p_default())
        defer { H5Gclose(group) }
        for name in ["symbol", "interval_seconds", "source"] {
            XCTAssertGreaterThan(H5Aexists(group, name), 0, name)
        }
    }

    /// Other integer and float widths are converted on read (int32 seconds, float32 prices).
    func testNarrowerTypesAreReadExactly() throws {
        let file = H5Fcreate(path("n.h5"), chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default())
        let group = H5Gcreate2(file, "/candles", chdf5_p_default(), chdf5_p_default(), chdf5_p_default())
        var dims: [hsize_t] = [2]
        let space = H5Screate_simple(1, &dims, nil)
        func write<T>(_ name: String, _ type: hid_t, _ values: [T]) {
            let d = H5Dcreate2(group, name, type, space, chdf5_p_default(), chdf5_p_default(), chdf5_p_default())
            _ = values.withUnsafeBytes { H5Dwrite(d, type, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) }
            H5Dclose(d)
        }
        let int32 = H5Tcopy(chdf5_native_int64())
        H5Tset_size(int32, 4)
        write("timestamp", int32, [Int32(1_502_942_400), Int32(1_502_946_000)])
        H5Tclose(int32)
        for name in ["open", "high", "low", "close", "volume"] {
            write(name, chdf5_native_float(), [Float(1.1), Float(2.5)])
        }
        H5Sclose(space)
        H5Gclose(group)
        H5Fclose(file)
        let table = try CandleHDF5.read(path: path("n.h5"))
        XCTAssertEqual(table.candles.map(\.timestamp), [1_502_942_400, 1_502_946_000])
        XCTAssertEqual(table.candles.map(\.open), [Double(Float(1.1)), 2.5])
        XCTAssertEqual(table.metadata, CandleMetadata())
    }

    /// Milli-, micro- and nanoseconds (what pandas and h5py users write) are told by magnitude;
    /// a time outside the accepted years refuses the file naming the row and the value.
    func testTimestampUnitsAndImplausibleTimes() throws {
        let seconds: [Int64] = [1_761_811_200, 1_761_814_800]
        let candles = seconds.map { Candle(timestamp: $0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3) }
        for (scale, form) in [(Int64(1000), TimestampFormat.unixMilliseconds), (1_000_000, .unixMicroseconds), (1_000_000_000, .unixNanoseconds)] {
            try CandleHDF5.write(candles.map { var c = $0; c.timestamp *= scale; return c }, metadata: CandleMetadata(), to: path("u.h5"))
            let table = try CandleHDF5.read(path: path("u.h5"))
            XCTAssertEqual(table.timestampFormat, form)
            XCTAssertEqual(table.candles, candles)
        }
        for bad in [Int64.max, 1 << 62, 3600] {
            try CandleHDF5.write(candles + [Candle(timestamp: bad, open: 1, high: 1, low: 1, close: 1, volume: 1)], metadata: CandleMetadata(), to: path("x.h5"))
            XCTAssertThrowsError(try CandleHDF5.read(path: path("x.h5"))) { error in
                XCTAssertTrue("\(error)".hasPrefix("\(path("x.h5")): /candles/timestamp: row 3: \(bad) "), "\(error)")
            }
        }
    }

    func testErrorsNameFileAndDataset() throws {
        let good = [Candle(timestamp: 1_502_942_400, open: 1, high: 1, low: 1, close: 1, volume: 1)]
        try CandleHDF5.write(good, metadata: CandleMetadata(), to: path("d.h5"))

        // Remove one dataset.
        let file = H5Fopen(path("d.h5"), chdf5_acc_rdwr(), chdf5_p_default())
        H5Ldelete(file, "/candles/low", chdf5_p_default())
        H5Fclose(file)
        guard case .hdf5(let name, let object, let message)? = TestSupport.error({ try CandleLoader.read(path: self.path("d.h5")) })
        else { return XCTFail() }
        XCTAssertEqual(name, path("d.h5"))
        XCTAssertEqual(object, "/candles/low")
        XCTAssertEqual(message, "no such dataset")

        // Wrong type: prices stored as integers.
        let bad = H5Fopen(path("d.h5"), chdf5_acc_rdwr(), chdf5_p_default())
        var dims: [hsize_t] = [1]
        let space = H5Screate_simple(1, &dims, nil)
        let d = H5Dcreate2(bad, "/candles/low", chdf5_std_i64le(), space, chdf5_p_default(), chdf5_p_default(), chdf5_p_default())
        H5Dclose(d)
        H5Sclose(space)
        H5Fclose(bad)
        guard case .hdf5(_, let object2, let message2)? = TestSupport.error({ try CandleHDF5.read(path: self.path("d.h5")) }) else { return XCTFail() }
        XCTAssertEqual(object2, "/candles/low")
        XCTAssertTrue(message2.contains("must hold floating-point numbers"), message2)
        XCTAssertEqual(CandleDataError.hdf5(file: "f.h5", object: object2, message: "x").description, "f.h5: /candles/low: x")

        // Unequal lengths.
        try CandleHDF5.write(good + good, metadata: CandleMetadata(), to: path("u.h5"))
        let uneven = H5Fopen(path("u.h5"), chdf5_acc_rdwr(), chdf5_p_default())
        H5Ldelete(uneven, "/candles/close", chdf5_p_default())
        let space1 = H5Screate_simple(1, &dims, nil)
        H5Dclose(H5Dcreate2(uneven, "/candles/close", chdf5_ieee_f64le(), space1, chdf5_p_default(), chdf5_p_default(), chdf5_p_default()))
        H5Sclose(space1)
        H5Fclose(uneven)
        guard case .hdf5(_, let object3, let message3)? = TestSupport.error({ try CandleHDF5.read(path: self.path("u.h5")) }) else { return XCTFail() }
        XCTAssertEqual(object3, "/candles/close")
        XCTAssertTrue(message3.contains("has 1 values but /candles/timestamp has 2"), message3)

        // No group at all.
        let empty = H5Fcreate(path("g.h5"), chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default())
        H5Fclose(empty)
        guard case .hdf5(_, let object4, _)? = TestSupport.error({ try CandleLoader.read(path: self.path("g.h5")) }) else { return XCTFail() }
        XCTAssertEqual(object4, "/candles")
    }

    /// HDF5 is told apart by its signature, whatever the file is called.
    func testLoaderSniffsTheSignature() throws {
        try CandleHDF5.write([Candle(timestamp: 1_502_942_400, open: 1, high: 1, low: 1, close: 1, volume: 1)], metadata: CandleMetadata(), to: path("named.csv"))
        XCTAssertEqual(try CandleLoader.read(path: path("named.csv")).container, .hdf5)
    }

    /// A failed write leaves nothing behind and names the destination.
    func testWriteIntoAMissingFolderFails() {
        let target = folder.appendingPathComponent("no/such/folder/c.h5").path
        guard case .io(let file, _)? = TestSupport.error({ try CandleHDF5.write([], metadata: CandleMetadata(), to: target) }) else { return XCTFail() }
        XCTAssertEqual(file, target)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }
}

extension CandleHDF5Tests {
    /// The check summary shows an HDF5 file's symbol and source.
    func testSummaryShowsTheAttributes() throws {
        try CandleHDF5.write([Candle(timestamp: 1_502_942_400, open: 1, high: 1, low: 1, close: 1, volume: 1)],
                             metadata: CandleMetadata(symbol: "BTCUSDT", intervalSeconds: 3600, source: "binance"), to: path("a.h5"))
        let summary = CandleCheckSummary(try CandleLoader.check(path: path("a.h5")))
        XCTAssertEqual(summary.symbol, "BTCUSDT")
        XCTAssertTrue(summary.text.contains("interval 3600 s (file)"), summary.text)
        XCTAssertTrue(summary.text.contains("symbol BTCUSDT, source binance"), summary.text)
    }
}
