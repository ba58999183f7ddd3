/// Names in an artifact (tensors, capabilities, components) are compared as UTF-8 bytes
/// (Spec.md, "Names"). Swift's `==` on String compares canonical equivalence, which in the
/// Embedded build would pull in the Unicode normalization tables.
@inline(__always)
public func sameBytes(_ a: String, _ b: String) -> Bool {
    a.utf8.elementsEqual(b.utf8)
}
