import Foundation
import ModelcCompiler
import ModelcTestSupport
import XCTest

/// The PyTorch seed-network fixtures in `<package root>/../shared/fixtures/lstm` (README.md
/// there), read with a small `.npy` reader of the tests' own and the compiler's safetensors reader.
enum LstmFixtures {
    static let folder = RepositoryPaths.shared("fixtures/lstm")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A safetensors file as a state_dict.
    static func stateDict(_ name: String) throws -> [String: (shape: [Int], values: [Float])] {
        try Safetensors(path: path(name)).tensors.mapValues { ($0.shape, $0.values) }
    }

    /// A little-endian float32 or float64 `.npy` array (C order), as Double, with its shape.
    static func npy(_ name: String) throws -> (shape: [Int], values: [Double]) {
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
        guard bytes.count > 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw ImportError("\(name): not a .npy file")
        }
        let major = bytes[6]
        let headerLength = major == 1 ? Int(bytes[8]) | Int(bytes[9]) << 8
                                      : (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let headerStart = major == 1 ? 10 : 12
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard !header.contains("'fortran_order': True") else { throw ImportError("\(name): Fortran order") }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw ImportError("\(name): no shape in \(header)")
        }
        let shape = header[open.upperBound..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let data = Array(bytes[(headerStart + headerLength)...])
        let count = shape.reduce(1, *)
        if header.contains("'<f4'") {
            guard data.count == 4 * count else { throw ImportError("\(name): \(data.count) bytes for \(count) float32") }
            let floats = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }  // little-endian host
            return (shape, floats.map(Double.init))
        }
        if header.contains("'<f8'") {
            guard data.count == 8 * count else { throw ImportError("\(name): \(data.count) bytes for \(count) float64") }
            return (shape, data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) })
        }
        throw ImportError("\(name): dtype in \(header) is not <f4 or <f8")
    }

    struct ImportError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}
