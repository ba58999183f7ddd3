import CHDF5
import Foundation
import ModelcFiles
import ModelcRuntime

/// Candles in HDF5, one group per file:
///
///     /candles                 group, attributes:
///         symbol               string (UTF-8), e.g. "BTCUSDT"; may be empty
///         interval_seconds     int64 scalar; optional
///         source               string (UTF-8), where the candles came from; may be empty
///     /candles/timestamp       int64[N]   candle open time, unix seconds UTC (milli-, micro- or
///                                         nanoseconds are read too, told by magnitude)
///     /candles/open            float64[N]
///     /candles/high            float64[N]
///     /candles/low             float64[N]
///     /candles/close           float64[N]
///     /candles/volume          float64[N] base-asset volume
///
/// Writing uses exactly these types (little-endian in the file) and variable-length UTF-8
/// strings (what h5py writes for `str`). Reading also accepts any HDF5 integer type for
/// `timestamp`, any float type for the others, and fixed-length strings; HDF5 converts them to
/// int64 / float64, which is exact. All six datasets must be one-dimensional and equally long.
public enum CandleHDF5 {
    public static let group = "/candles"
    static let valueColumns = ["open", "high", "low", "close", "volume"]

    /// Writes candles and metadata to `path`, replacing it atomically (`AtomicFile`), so a
    /// reader never sees half a file.
    public static func write(_ candles: [Candle], metadata: CandleMetadata, to path: String) throws(CandleDataError) {
        try AtomicFile.replace(path, failure: { CandleDataError.io(file: path, reason: $0.reason) }) { (temporary) throws(CandleDataError) in
            try HDF5Library.locked { () throws(CandleDataError) in try writeFile(candles, metadata: metadata, path: temporary.path, named: path) }
        }
    }

    /// Reads the layout above into a table (row `i + 1` is candle `i`).
    public static func read(path: String) throws(CandleDataError) -> CandleTable {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .io(file: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot read: permission denied" : "cannot read: no such file")
        }
        return try HDF5Library.locked { () throws(CandleDataError) in try readFile(path) }
    }


    private static func writeFile(_ candles: [Candle], metadata: CandleMetadata, path: String, named name: String) throws(CandleDataError) {
        func fail(_ object: String, _ what: String) -> CandleDataError { .hdf5(file: name, object: object, message: what) }
        let file = H5Fcreate(path, chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default())
        guard file >= 0 else { throw .io(file: name, reason: "cannot create an HDF5 file at \(path)") }
        defer { H5Fclose(file) }
        let group = H5Gcreate2(file, group, chdf5_p_default(), chdf5_p_default(), chdf5_p_default())
        guard group >= 0 else { throw fail(Self.group, "cannot create the group") }
        defer { H5Gclose(group) }

        try writeString(metadata.symbol, attribute: "symbol", on: group, fail: fail)
        try writeString(metadata.source, attribute: "source", on: group, fail: fail)
        if let interval = metadata.intervalSeconds {
            try writeScalar(interval, attribute: "interval_seconds", on: group, fail: fail)
        }

        try writeColumn(candles.map(\.timestamp), name: "timestamp", in: group, fileType: chdf5_std_i64le(), memoryType: chdf5_native_int64(), fail: fail)
        let columns: [(String, (Candle) -> Double)] = [("open", \.open), ("high", \.high), ("low", \.low), ("close", \.close), ("volume", \.volume)]
        for (name, value) in columns {
            try writeColumn(candles.map(value), name: name, in: group, fileType: chdf5_ieee_f64le(), memoryType: chdf5_native_double(), fail: fail)
        }
        guard H5Fflush(file, H5F_SCOPE_GLOBAL) >= 0 else { throw .io(file: name, reason: "cannot flush the HDF5 file") }
    }

    private static func writeColumn<T>(
        _ values: [T], name: String, in group: hid_t, fileType: hid_t, memoryType: hid_t, fail: (String, String) -> CandleDataError
    ) throws(CandleDataError) {
        let object = "\(Self.group)/\(name)"
        var dims = [hsize_t(values.count)]
        let space = H5Screate_simple(1, &dims, nil)
        guard space >= 0 else { throw fail(object, "cannot create the dataspace") }
        defer { H5Sclose(space) }
        let dataset = H5Dcreate2(group, name, fileType, space, chdf5_p_default(), chdf5_p_default(), chdf5_p_default())
        guard dataset >= 0 else { throw fail(object, "cannot create the dataset") }
        defer { H5Dclose(dataset) }
        let status = values.withUnsafeBytes { H5Dwrite(dataset, memoryType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) }
        guard status >= 0 else { throw fail(object, "cannot write the dataset") }
    }

    private static func writeString(_ value: String, attribute: String, on group: hid_t, fail: (String, String) -> CandleDataError) throws(CandleDataError) {
        let object = "\(Self.group)/\(attribute)"
        let type = H5Tcopy(chdf5_c_s1())
        defer { H5Tclose(type) }
        guard H5Tset_size(type, chdf5_variable()) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0 else { throw fail(object, "cannot make the string type") }
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attr = H5Acreate2(group, attribute, type, space, chdf5_p_default(), chdf5_p_default())
        guard attr >= 0 else { throw fail(object, "cannot create the attribute") }
        defer { H5Aclose(attr) }
        let status = value.withCString { text in
            var pointer: UnsafePointer<CChar>? = text
            return H5Awrite(attr, type, &pointer)
        }
        guard status >= 0 else { throw fail(object, "cannot write the attribute") }
    }

    private static func writeScalar(_ value: Int64, attribute: String, on group: hid_t, fail: (String, String) -> CandleDataError) throws(CandleDataError) {
        let object = "\(Self.group)/\(attribute)"
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attr = H5Acreate2(group, attribute, chdf5_std_i64le(), space, chdf5_p_default(), chdf5_p_default())
        guard attr >= 0 else { throw fail(object, "cannot create the attribute") }
        defer { H5Aclose(attr) }
        var v = value
        guard H5Awrite(attr, chdf5_native_int64(), &v) >= 0 else { throw fail(object, "cannot write the attribute") }
    }

    private static func readFile(_ path: String) throws(CandleDataError) -> CandleTable {
        func fail(_ object: String, _ what: String) -> CandleDataError { .hdf5(file: path, object: object, message: what) }
        let file = H5Fopen(path, chdf5_acc_rdonly(), chdf5_p_default())
        guard file >= 0 else { throw .io(file: path, reason: "not an HDF5 file, or it cannot be opened") }
        defer { H5Fclose(file) }
        guard H5Lexists(file, group, chdf5_p_default()) > 0 else {
            let layout = "a candle file holds /candles/timestamp, open, high, low, close and volume (Spec.md §11.2)"
            if isPyTables(file) {
                throw fail(group, "no such group: this is a pandas / PyTables HDF5 file (freqtrade's hdf5 format); "
                    + "modelc reads its own layout (\(layout)) and feather; convert it with pandas: pandas.read_hdf(\"IN\").to_feather(\"OUT.feather\")")
            }
            throw fail(group, "no such group; \(layout)")
        }
        let group = H5Gopen2(file, group, chdf5_p_default())
        guard group >= 0 else { throw fail(Self.group, "cannot open the group") }
        defer { H5Gclose(group) }

        var metadata = CandleMetadata()
        metadata.symbol = try readString(attribute: "symbol", on: group, fail: fail) ?? ""
        metadata.source = try readString(attribute: "source", on: group, fail: fail) ?? ""
        metadata.intervalSeconds = try readScalar(attribute: "interval_seconds", on: group, fail: fail)

        let stored: [Int64] = try readColumn(name: "timestamp", in: group, typeClass: H5T_INTEGER, memoryType: chdf5_native_int64(), zero: 0, fail: fail)
        let unit = stored.first.map(TimestampFormat.unit(of:)) ?? .unixSeconds
        var timestamps = stored
        for (i, value) in stored.enumerated() {
            switch unit.seconds(fromUnix: value) {
            case .success(let seconds): timestamps[i] = seconds
            case .failure(let error): throw fail("\(Self.group)/timestamp", "row \(i + 1): \(value) \(error.message)")
            }
        }
        var values: [[Double]] = []
        for name in valueColumns {
            let column: [Double] = try readColumn(name: name, in: group, typeClass: H5T_FLOAT, memoryType: chdf5_native_double(), zero: 0, fail: fail)
            guard column.count == timestamps.count else {
                throw fail("\(Self.group)/\(name)", "has \(column.count) values but /candles/timestamp has \(timestamps.count); all six datasets must be equally long")
            }
            values.append(column)
        }
        let candles = timestamps.indices.map { i in
            Candle(timestamp: timestamps[i], open: values[0][i], high: values[1][i], low: values[2][i], close: values[3][i], volume: values[4][i])
        }
        return CandleTable(file: path, container: .hdf5, candles: candles, lines: [], timestampFormat: unit,
                           rowCount: candles.count, metadata: metadata)
    }

    /// Whether the file was written by pandas (PyTables marks its root group).
    private static func isPyTables(_ file: hid_t) -> Bool {
        let root = H5Gopen2(file, "/", chdf5_p_default())
        guard root >= 0 else { return false }
        defer { H5Gclose(root) }
        return H5Aexists(root, "PYTABLES_FORMAT_VERSION") > 0
    }

    private static func readColumn<T>(
        name: String, in group: hid_t, typeClass: H5T_class_t, memoryType: hid_t, zero: T, fail: (String, String) -> CandleDataError
    ) throws(CandleDataError) -> [T] {
        let object = "\(Self.group)/\(name)"
        guard H5Lexists(group, name, chdf5_p_default()) > 0 else { throw fail(object, "no such dataset") }
        let dataset = H5Dopen2(group, name, chdf5_p_default())
        guard dataset >= 0 else { throw fail(object, "cannot open the dataset (is it a dataset?)") }
        defer { H5Dclose(dataset) }
        let type = H5Dget_type(dataset)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == typeClass else {
            throw fail(object, typeClass == H5T_INTEGER ? "must hold integers (unix seconds), e.g. int64" : "must hold floating-point numbers, e.g. float64")
        }
        let space = H5Dget_space(dataset)
        defer { H5Sclose(space) }
        guard H5Sget_simple_extent_ndims(space) == 1 else { throw fail(object, "must be one-dimensional, has \(H5Sget_simple_extent_ndims(space)) dimensions") }
        var count: hsize_t = 0
        H5Sget_simple_extent_dims(space, &count, nil)
        var values = [T](repeating: zero, count: Int(count))
        guard count == 0 || values.withUnsafeMutableBytes({ H5Dread(dataset, memoryType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) }) >= 0 else {
            throw fail(object, "cannot read the dataset")
        }
        return values
    }

    /// A string attribute (variable- or fixed-length), or nil when absent.
    private static func readString(attribute: String, on group: hid_t, fail: (String, String) -> CandleDataError) throws(CandleDataError) -> String? {
        let object = "\(Self.group)/\(attribute)"
        guard H5Aexists(group, attribute) > 0 else { return nil }
        let attr = H5Aopen(group, attribute, chdf5_p_default())
        guard attr >= 0 else { throw fail(object, "cannot open the attribute") }
        defer { H5Aclose(attr) }
        let type = H5Aget_type(attr)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_STRING else { throw fail(object, "must be a string") }
        let space = H5Aget_space(attr)
        defer { H5Sclose(space) }
        guard H5Sget_simple_extent_npoints(space) == 1 else { throw fail(object, "must be a single string") }
        if H5Tis_variable_str(type) > 0 {
            var pointer: UnsafeMutablePointer<CChar>?
            guard H5Aread(attr, type, &pointer) >= 0 else { throw fail(object, "cannot read the attribute") }
            defer { H5free_memory(pointer) }
            return pointer.map { String(cString: $0) } ?? ""
        }
        var bytes = [UInt8](repeating: 0, count: H5Tget_size(type))
        guard bytes.withUnsafeMutableBytes({ H5Aread(attr, type, $0.baseAddress) }) >= 0 else { throw fail(object, "cannot read the attribute") }
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An integer scalar attribute, or nil when absent.
    private static func readScalar(attribute: String, on group: hid_t, fail: (String, String) -> CandleDataError) throws(CandleDataError) -> Int64? {
        let object = "\(Self.group)/\(attribute)"
        guard H5Aexists(group, attribute) > 0 else { return nil }
        let attr = H5Aopen(group, attribute, chdf5_p_default())
        guard attr >= 0 else { throw fail(object, "cannot open the attribute") }
        defer { H5Aclose(attr) }
        let type = H5Aget_type(attr)
        defer { H5Tclose(type) }
        let space = H5Aget_space(attr)
        defer { H5Sclose(space) }
        guard H5Tget_class(type) == H5T_INTEGER, H5Sget_simple_extent_npoints(space) == 1 else { throw fail(object, "must be one integer (seconds)") }
        var value: Int64 = 0
        guard H5Aread(attr, chdf5_native_int64(), &value) >= 0 else { throw fail(object, "cannot read the attribute") }
        return value
    }
}
