import ModelcRuntime
import XCTest

/// Spec.md §4.6.2: the specialists blend and the position it holds, step by step.
final class SpecialistBlendTests: XCTestCase {
    /// Components 0, 1 read for LONG (weights 1 and 3), 2 for SHORT.
    private func blend(longEntry: Double = 0.3, shortEntry: Double = 0.2, longVeto: Double = 1, shortVeto: Double = 1, hold: Int = 1) -> BlendDefinition {
        var b = BlendDefinition()
        b.mode = .specialists
        b.longInputs = [BlendInput(component: 0, weight: 1), BlendInput(component: 1, weight: 3)]
        b.shortInputs = [BlendInput(component: 2, weight: 1)]
        b.longEntry = longEntry
        b.shortEntry = shortEntry
        b.longVeto = longVeto
        b.shortVeto = shortVeto
        b.hold = hold
        b.maxPosition = 0.5
        return b
    }

    func testEachDirectionIsTheWeightedMeanOfItsInputs() {
        let r = blend().read([0.2, 0.4, 0.1])
        XCTAssertEqual(r.pLong, (1 * 0.2 + 3 * 0.4) / 4)
        XCTAssertEqual(r.pShort, 0.1)
        XCTAssertTrue(r.pUp.isNaN)
        XCTAssertTrue(r.ready)
        XCTAssertEqual(r.decision.signal, .long)
        XCTAssertEqual(r.decision.confidence, r.pLong)
        XCTAssertEqual(r.decision.size, 0.5)
        XCTAssertFalse(blend().read([0.2, .nan, 0.1]).ready, "an unscored input holds the decision up")
        XCTAssertEqual(blend().read([0.2, .nan, 0.1]).decision.signal, .flat)
    }

    func testEntriesVetoesAndTheStrongerEvidence() {
        let b = blend()
        XCTAssertEqual(b.decide(pLong: 0.29, pShort: 0.19).signal, .flat, "below both entries")
        XCTAssertEqual(b.decide(pLong: 0.29, pShort: 0.2).signal, .short, "an entry is reached at equality")
        XCTAssertEqual(b.decide(pLong: 0.35, pShort: 0.3).signal, .short, "0.1 above SHORT's entry beats 0.05 above LONG's")
        XCTAssertEqual(b.decide(pLong: 0.4, pShort: 0.3).signal, .long, "a tie in margin goes LONG")
        XCTAssertEqual(blend(shortEntry: 0.3, longVeto: 0.25).decide(pLong: 0.5, pShort: 0.25).signal, .flat, "LONG vetoed, SHORT below its entry")
        XCTAssertEqual(blend(shortEntry: 0.3, longVeto: 0.25).decide(pLong: 0.5, pShort: 0.24).signal, .long)
        XCTAssertEqual(blend(longVeto: 0.25).decide(pLong: 0.5, pShort: 0.25).signal, .short, "LONG vetoed, SHORT above its entry")
        XCTAssertEqual(blend(shortVeto: 0.5).decide(pLong: 0.5, pShort: 0.9).signal, .long, "SHORT vetoed by p_long")
        XCTAssertEqual(blend(longEntry: 2).decide(pLong: 1, pShort: 0).signal, .flat, "an entry above 1 never trades")
        XCTAssertEqual(blend().decide(pLong: .nan, pShort: 0.1).signal, .flat)
    }

    func testAPositionIsHeldForHoldCandlesAfterItsLastEntrySignal() {
        let b = blend(hold: 3)
        var state = PolicyState()
        // LONG enters, then nothing: held two more candles, then flat.
        let long = [0.5, 0.5, 0.0], none = [0.0, 0.0, 0.0], short = [0.0, 0.0, 0.5], unscored = [Double.nan, 0, 0]
        let sequence: [([Double], Signal)] = [
            (long, .long), (none, .long), (none, .long), (none, .flat),
            (long, .long), (none, .long), (long, .long), (none, .long), (none, .long), (none, .flat),
            (long, .long), (short, .short), (none, .short),
            (unscored, .flat), (none, .flat),  // a candle that is not ready ends the position
        ]
        for (i, (p, expected)) in sequence.enumerated() {
            let d = state.step(b.read(p), blend: b)
            XCTAssertEqual(d.signal, expected, "candle \(i)")
            XCTAssertEqual(d.size, expected == .flat ? 0 : 0.5, "candle \(i)")
        }
        var once = PolicyState()
        XCTAssertEqual(once.step(blend().read(long), blend: blend()).signal, .long)
        XCTAssertEqual(once.step(blend().read(none), blend: blend()).signal, .flat, "hold 1 decides every candle afresh")
    }
}
