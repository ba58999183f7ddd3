import CModelcKernels

// The C ABI for components: what each one reads, and scoring inputs the caller computed.

/// Name of component `index`; NULL when out of range. Valid while the model is open.
@c @implementation public func mc_component_name(_ model: OpaquePointer?, _ index: Int32) -> UnsafePointer<CChar>? {
    guard let h = handle(model), h.component(index) != nil else { return nil }
    return UnsafePointer(h.cComponentNames[Int(index)])
}

/// Index of the component called `name`, or -1.
@c @implementation public func mc_component_index(_ model: OpaquePointer?, _ name: UnsafePointer<CChar>?) -> Int32 {
    guard let h = handle(model), let name else { return -1 }
    let wanted = String(cString: name)
    for (i, c) in h.model.components.enumerated() where sameBytes(c.name, wanted) { return Int32(i) }
    return -1
}

/// Role of component `index` (MC_ROLE_*), or -1.
@c @implementation public func mc_component_role(_ model: OpaquePointer?, _ index: Int32) -> Int32 {
    guard let c = handle(model)?.component(index) else { return -1 }
    return Int32(c.role.rawValue)
}

/// Timesteps component `index` reads per score (1 for trees), or -1.
@c @implementation public func mc_component_window(_ model: OpaquePointer?, _ index: Int32) -> Int32 {
    guard let c = handle(model)?.component(index) else { return -1 }
    return Int32(c.window)
}

/// Input values per timestep of component `index`, or -1.
@c @implementation public func mc_component_input_count(_ model: OpaquePointer?, _ index: Int32) -> Int32 {
    guard let c = handle(model)?.component(index) else { return -1 }
    return Int32(c.inputCount)
}

/// Name of input `input` of component `index` (the feature it reads, or the name an imported
/// model declares); NULL when out of range or undeclared. Valid while the model is open.
@c @implementation public func mc_component_input_name(_ model: OpaquePointer?, _ index: Int32, _ input: Int32) -> UnsafePointer<CChar>? {
    guard let h = handle(model), h.component(index) != nil else { return nil }
    let names = h.cInputNames[Int(index)]
    return input >= 0 && Int(input) < names.count ? UnsafePointer(names[Int(input)]) : nil
}

/// Scores `count` inputs the caller computed: each is `window × input_count` raw feature
/// values, oldest step first (the component's scaler is applied unless it was folded).
/// Writes `count` probabilities. Returns 0 or an MC_E_* code with a message in `err`.
@c @implementation public func mc_score_inputs(
    _ model: OpaquePointer?, _ index: Int32, _ inputs: UnsafePointer<Double>?, _ count: Int,
    _ probabilities: UnsafeMutablePointer<Double>?, _ err: UnsafeMutablePointer<CChar>?, _ errCapacity: Int
) -> Int32 {
    guard let h = handle(model), let c = h.component(index) else {
        writeError("mc_score_inputs: null model or component index \(index) out of range", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    guard count >= 0, count == 0 || (inputs != nil && probabilities != nil) else {
        writeError("mc_score_inputs: null inputs or probabilities", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    let size = c.window * c.inputCount
    guard size == 0 || count <= Int.max / size else {
        writeError("mc_score_inputs: \(count) inputs of \(size) values overflow the address space", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    do {
        try h.withScratch { (arena) throws(ModelcError) in
            if c.isTreeComponent && c.window == 1 && size > 0 {
                // Tree rows go straight to the tree kernel: one row at a time for a single score
                // (no copy), the batch kernel for several (the same bits either way).
                let rows = UnsafeBufferPointer(start: inputs, count: count * size)
                if count == 1 {
                    probabilities![0] = try c.scoreTrees(rows, arena: arena).probability
                } else {
                    try c.scoreTrees(rows: rows, rowCount: count, arena: arena) { n, score in probabilities![n] = score.probability }
                }
                return
            }
            // Blocks of windows scored together: each window's bits as alone.
            if count > 0 { try c.probabilities(inBlocks: inputs!, count: count, arena: arena, into: probabilities!) }
        }
    } catch {
        writeError(error.message, to: err, capacity: errCapacity)
        return error.code.rawValue
    }
    return 0
}
