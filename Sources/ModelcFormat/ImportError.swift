/// Why a file given to an import (a model file, a `.npy` array) was refused: the file, and what
/// in it (path, line, tree, node, header) was wrong.
public struct ImportError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let message: String

    public init(_ file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
