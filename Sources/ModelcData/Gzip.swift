import CZlib

/// gzip files (freqtrade's `.jsongz`, pandas' `compression="gzip"`) inflated with the system
/// zlib, so that the reader behind sees the plain bytes.
enum Gzip {
    /// gzip's two magic bytes.
    static let magic: [UInt8] = [0x1F, 0x8B]

    /// More than this, inflated, is refused: a year of 1-minute candles as JSON is about 40 MB,
    /// and a small file that inflates without bound must not exhaust memory.
    static let maximumInflated = 1 << 30

    /// The inflated bytes of every gzip member in `compressed`, or why they cannot be read.
    static func inflate(_ compressed: [UInt8]) -> Result<[UInt8], FieldError> {
        var stream = z_stream()
        // 15 + 16: the largest window, with a gzip header and trailer (zlib.h, inflateInit2).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failure(FieldError("zlib could not start inflating"))
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        return compressed.withUnsafeBufferPointer { input -> Result<[UInt8], FieldError> in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                output += chunk[0..<(chunk.count - Int(stream.avail_out))]
                guard output.count <= maximumInflated else {
                    return .failure(FieldError("inflates to more than \(maximumInflated >> 20) MiB; that is not a candle file modelc reads"))
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END where stream.avail_in == 0:
                    return .success(output)
                case Z_STREAM_END:
                    // Another gzip member follows (`cat a.gz b.gz`): gzip reads them as one file.
                    guard inflateReset(&stream) == Z_OK else { return .failure(FieldError("zlib could not read the next gzip member")) }
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return .failure(FieldError("is cut short: the gzip stream ends before its end marker"))
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    return .failure(FieldError("is not valid gzip data (zlib: \(reason))"))
                }
            }
        }
    }
}
