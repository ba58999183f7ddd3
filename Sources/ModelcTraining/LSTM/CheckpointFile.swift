import CHDF5
import Foundation
import ModelcData
import ModelcRuntime

/// The few HDF5 operations a checkpoint needs: groups, numeric datasets with shapes, scalars
/// and UTF-8 strings, each failure an error naming the file and the object. The serial HDF5
/// library is not thread-safe: every file is opened, used and closed under `HDF5Library`'s lock,
/// the one candle files use too.
final class CheckpointFile {
    private let file: hid_t
    let name: String

    private init(file: hid_t, name: String) {
        self.file = file
        self.name = name
    }

    deinit { H5Fclose(file) }

    /// Runs `body` on a new file at `path` (truncating), under the library lock.
    static func create<T>(_ path: String, named name: String, _ body: (CheckpointFile) throws(ModelcError) -> T) throws(ModelcError) -> T {
        try HDF5Library.locked { () throws(ModelcError) in
            let f = H5Fcreate(path, chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default())
            guard f >= 0 else { throw ModelcError(.io, "\(name): cannot create an HDF5 file") }
            return try body(CheckpointFile(file: f, name: name))
        }
    }

    /// Runs `body` on the existing file `path`, read-only, under the library lock.
    static func open<T>(_ path: String, _ body: (CheckpointFile) throws(ModelcError) -> T) throws(ModelcError) -> T {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ModelcError(.io, "\(path): cannot read: \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")")
        }
        return try HDF5Library.locked { () throws(ModelcError) in
            let f = H5Fopen(path, chdf5_acc_rdonly(), chdf5_p_default())
            guard f >= 0 else { throw ModelcError(.io, "\(path): not an HDF5 file") }
            return try body(CheckpointFile(file: f, name: path))
        }
    }

    func error(_ object: String, _ message: String) -> ModelcError { ModelcError(.io, "\(name): \(object): \(message)") }

    func makeGroup(_ path: String) throws(ModelcError) {
        let g = H5Gcreate2(file, path, chdf5_p_default(), chdf5_p_default(), chdf5_p_default())
        guard g >= 0 else { throw error(path, "cannot create the group") }
        H5Gclose(g)
    }

    /// Whether every link along `path` exists.
    func exists(_ path: String) -> Bool {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            guard H5Lexists(file, prefix, chdf5_p_default()) > 0 else { return false }
        }
        return true
    }

    // MARK: writing

    /// Creates and writes one dataset; returns what failed, if anything.
    private func write(_ path: String, shape: [Int], fileType: hid_t, memoryType: hid_t, _ data: UnsafeRawPointer) -> String? {
        let dims = shape.map { hsize_t($0) }
        let space = shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil)
        guard space >= 0 else { return "cannot create a dataspace of shape \(shape)" }
        defer { H5Sclose(space) }
        let set = H5Dcreate2(file, path, fileType, space, chdf5_p_default(), chdf5_p_default(), chdf5_p_default())
        guard set >= 0 else { return "cannot create the dataset" }
        defer { H5Dclose(set) }
        return H5Dwrite(set, memoryType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), data) >= 0 ? nil : "cannot write the dataset"
    }

    private func check(_ path: String, _ failure: String?) throws(ModelcError) {
        if let failure { throw error(path, failure) }
    }

    func write(_ values: [Float], shape: [Int], at path: String) throws(ModelcError) {
        precondition(values.count == shape.reduce(1, *), "\(path): \(values.count) values for shape \(shape)")
        try check(path, values.withUnsafeBytes {
            write(path, shape: shape, fileType: chdf5_native_float(), memoryType: chdf5_native_float(), $0.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!)
        })
    }

    func write(_ values: [Double], at path: String) throws(ModelcError) {
        try check(path, values.withUnsafeBytes {
            write(path, shape: [values.count], fileType: chdf5_ieee_f64le(), memoryType: chdf5_native_double(), $0.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!)
        })
    }

    func write(_ value: Double, at path: String) throws(ModelcError) {
        var v = value
        try check(path, write(path, shape: [], fileType: chdf5_ieee_f64le(), memoryType: chdf5_native_double(), &v))
    }

    func write(_ value: Int64, at path: String) throws(ModelcError) {
        var v = value
        try check(path, write(path, shape: [], fileType: chdf5_std_i64le(), memoryType: chdf5_native_int64(), &v))
    }

    /// A UTF-8 string as a fixed-length string scalar (h5py reads it as bytes).
    func write(_ text: String, at path: String) throws(ModelcError) {
        let bytes = Array(text.utf8) + [0]
        let type = H5Tcopy(chdf5_c_s1())
        defer { H5Tclose(type) }
        guard H5Tset_size(type, bytes.count) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0 else {
            throw error(path, "cannot make a string type of \(bytes.count) bytes")
        }
        try check(path, bytes.withUnsafeBytes { write(path, shape: [], fileType: type, memoryType: type, $0.baseAddress!) })
    }

    // MARK: reading

    /// Opens `path`, checks its type class and returns its shape; `body` reads it.
    private func read<T>(_ path: String, class expected: H5T_class_t, _ body: (hid_t, [Int]) throws(ModelcError) -> T) throws(ModelcError) -> T {
        guard exists(path) else { throw error(path, "is missing") }
        let set = H5Dopen2(file, path, chdf5_p_default())
        guard set >= 0 else { throw error(path, "is not a dataset") }
        defer { H5Dclose(set) }
        let type = H5Dget_type(set)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == expected else { throw error(path, "has the wrong element type") }
        let space = H5Dget_space(set)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0 else { throw error(path, "has no readable shape") }
        var dims = [hsize_t](repeating: 0, count: rank)
        H5Sget_simple_extent_dims(space, &dims, nil)
        return try body(set, dims.map { Int($0) })
    }

    func floats(at path: String, shape expected: [Int]) throws(ModelcError) -> [Float] {
        try read(path, class: H5T_FLOAT) { (set, shape) throws(ModelcError) in
            guard shape == expected else { throw error(path, "has shape \(shape), expected \(expected)") }
            var values = [Float](repeating: 0, count: shape.reduce(1, *))
            let status = values.withUnsafeMutableBytes { H5Dread(set, chdf5_native_float(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) }
            guard status >= 0 else {
                throw error(path, "cannot be read")
            }
            return values
        }
    }

    func doubles(at path: String) throws(ModelcError) -> [Double] {
        try read(path, class: H5T_FLOAT) { (set, shape) throws(ModelcError) in
            guard shape.count <= 1 else { throw error(path, "has shape \(shape), expected a vector") }
            var values = [Double](repeating: 0, count: shape.reduce(1, *))
            let status = values.withUnsafeMutableBytes { H5Dread(set, chdf5_native_double(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) }
            guard status >= 0 else {
                throw error(path, "cannot be read")
            }
            return values
        }
    }

    func double(at path: String) throws(ModelcError) -> Double {
        let v = try doubles(at: path)
        guard v.count == 1 else { throw error(path, "has \(v.count) values, expected 1") }
        return v[0]
    }

    func int64(at path: String) throws(ModelcError) -> Int64 {
        try read(path, class: H5T_INTEGER) { (set, shape) throws(ModelcError) in
            guard shape.isEmpty || shape == [1] else { throw error(path, "has shape \(shape), expected a scalar") }
            var v: Int64 = 0
            guard H5Dread(set, chdf5_native_int64(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), &v) >= 0 else {
                throw error(path, "cannot be read")
            }
            return v
        }
    }

    func string(at path: String) throws(ModelcError) -> String {
        try read(path, class: H5T_STRING) { (set, _) throws(ModelcError) in
            let type = H5Dget_type(set)
            defer { H5Tclose(type) }
            guard H5Tis_variable_str(type) == 0 else { throw error(path, "is a variable-length string; expected fixed-length") }
            let size = H5Tget_size(type)
            var bytes = [UInt8](repeating: 0, count: size + 1)
            let status = bytes.withUnsafeMutableBytes { H5Dread(set, type, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) }
            guard status >= 0 else {
                throw error(path, "cannot be read")
            }
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
