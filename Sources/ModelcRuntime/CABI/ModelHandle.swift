import CModelcKernels

/// What an `mc_model *` points to: a loaded model plus the C strings the ABI hands out,
/// which live exactly as long as the handle.
final class ModelHandle {
    let model: LoadedModel
    let cName: UnsafeMutablePointer<CChar>
    let cVersion: UnsafeMutablePointer<CChar>
    let cComponentNames: [UnsafeMutablePointer<CChar>]
    /// Per component, the name of each input: the feature it reads or the declared name.
    let cInputNames: [[UnsafeMutablePointer<CChar>]]
    /// `mc_score_inputs`'s working memory, for one thread at a time: 1 in `scratchClaim` while
    /// a thread holds it (`withScratch`).
    private let scratch = ScratchArena()
    private let scratchClaim = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    init(_ model: LoadedModel) {
        self.model = model
        cName = makeCString(model.name)
        cVersion = makeCString(model.version)
        cComponentNames = model.components.map { makeCString($0.name) }
        cInputNames = model.components.map { c in
            c.inputFeatures.isEmpty ? c.inputNames.map { makeCString($0) } : c.inputFeatures.map { makeCString(model.features[$0].name) }
        }
        scratchClaim.initialize(to: 0)
    }

    deinit {
        cName.deallocate()
        cVersion.deallocate()
        for p in cComponentNames { p.deallocate() }
        for names in cInputNames { for p in names { p.deallocate() } }
        scratchClaim.deallocate()
    }

    /// Runs `body` with the model's arena, or, while another thread holds that (a model is
    /// shared), with one of its own; the arena is reset when `body` returns.
    func withScratch<R>(_ body: (ScratchArena) throws(ModelcError) -> R) throws(ModelcError) -> R {
        let mine = mck_claim(scratchClaim) != 0
        let arena = mine ? scratch : ScratchArena()
        defer {
            arena.reset()
            if mine { mck_unclaim(scratchClaim) }
        }
        return try body(arena)
    }

    func component(_ index: Int32) -> ComponentDefinition? {
        index >= 0 && Int(index) < model.components.count ? model.components[Int(index)] : nil
    }
}

/// A NUL-terminated copy of `s` that the caller deallocates.
func makeCString(_ s: String) -> UnsafeMutablePointer<CChar> {
    let utf8 = s.utf8
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
    var i = 0
    for byte in utf8 {
        p[i] = CChar(bitPattern: byte)
        i += 1
    }
    p[i] = 0
    return p
}

/// Copies `message` into the caller's buffer, truncated and always NUL-terminated.
func writeError(_ message: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int) {
    guard let buffer, capacity > 0 else { return }
    var n = 0
    for byte in message.utf8 where n < capacity - 1 {
        buffer[n] = CChar(bitPattern: byte)
        n += 1
    }
    buffer[n] = 0
}
