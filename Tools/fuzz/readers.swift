// The differential fuzz target (Tools/fuzz.sh readers-run): feeds the same bytes to the runtime's
// reader (protobuf-c) and to swift-protobuf, and stops at the first input they disagree on (one
// opens it and the other refuses, or they read different contents). Inputs are the harness's
// (first byte 0: an artifact; 1: a body, framed here). ReaderAgreementTests replays the corpus.
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReaders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if let problem = ReaderAgreement.disagreement(fuzzInput: bytes) {
        fputs("readers disagree: \(problem)\n", stderr)
        abort()
    }
    return 0
}
