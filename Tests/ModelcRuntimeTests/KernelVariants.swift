import CModelcKernels
import XCTest

extension XCTestCase {
    /// Runs `checks` once per instruction-set variant of the C kernels (multiversion.h) that this
    /// CPU runs, each forced in turn, the portable one always; a variant it cannot run is reported
    /// as skipped, by name. A variant whose checks fail is named in one more failure. The CPU's
    /// best variant is active again afterwards.
    func forEachKernelVariant(_ checks: () throws -> Void) rethrows {
        defer { _ = mck_isa_force(Int32(MCK_ISA_COUNT)) }
        for isa in 0..<Int32(MCK_ISA_COUNT) {
            let name = String(cString: mck_isa_name(isa))
            guard mck_isa_force(isa) == 1 else {
                print("skipped: kernel variant '\(name)': this CPU or build does not run it")
                continue
            }
            let before = testRun?.failureCount ?? 0
            try checks()
            if (testRun?.failureCount ?? 0) > before { XCTFail("kernel variant '\(name)' differs from the reference") }
            print("checked: kernel variant '\(name)'")
        }
    }
}
