import CHDF5
import Foundation

/// The serial HDF5 library is not thread-safe, for any two files: candle files and training
/// checkpoints both call into it under this one process-wide lock.
public enum HDF5Library {
    private static let lock = NSLock()

    /// Runs `body` holding the lock, with HDF5's own error printing silenced (callers report
    /// failures themselves, naming the file).
    public static func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        _ = chdf5_silence_errors()
        return try body()
    }
}
