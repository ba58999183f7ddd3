import CModelcKernels

// The C ABI (Bindings/c/modelc.h). Every function reports failure through its return value
// and the caller's error buffer; none traps.

/// The runtime's version, a static NUL-terminated string.
@c @implementation public func mc_version() -> UnsafePointer<CChar>? {
    UnsafeRawPointer(ModelcVersion.staticString.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Format major * 1000 + minor that this runtime reads.
@c @implementation public func mc_format_version() -> Int32 {
    Int32(ArtifactFormat.formatMajor * 1000 + ArtifactFormat.formatMinor)
}

/// Opens a model from artifact bytes. On success stores a handle in `out` and returns 0;
/// otherwise returns an `MC_E_*` code and writes the reason into `err`.
@c @implementation public func mc_model_open_bytes(
    _ bytes: UnsafePointer<UInt8>?, _ length: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?,
    _ err: UnsafeMutablePointer<CChar>?, _ errCapacity: Int
) -> Int32 {
    guard let out, length >= 0, bytes != nil || length == 0 else {
        writeError("mc_model_open_bytes: null output pointer or bytes", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    out.pointee = nil
    let input = length == 0 ? [] : copiedArray(bytes, length)
    do {
        let handle = ModelHandle(try ModelLoader.load(input))
        out.pointee = OpaquePointer(Unmanaged.passRetained(handle).toOpaque())
        return 0
    } catch {
        writeError(error.message, to: err, capacity: errCapacity)
        return error.code.rawValue
    }
}

/// Releases a model; null is allowed.
@c @implementation public func mc_model_free(_ model: OpaquePointer?) {
    guard let model else { return }
    Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(model)).release()
}

/// The model's name, valid while the model is open.
@c @implementation public func mc_model_name(_ model: OpaquePointer?) -> UnsafePointer<CChar>? {
    handle(model).map { UnsafePointer($0.cName) }
}

/// The model's semver version, valid while the model is open.
@c @implementation public func mc_model_version(_ model: OpaquePointer?) -> UnsafePointer<CChar>? {
    handle(model).map { UnsafePointer($0.cVersion) }
}

/// Number of features the model computes from candles; -1 for a null model.
@c @implementation public func mc_model_feature_count(_ model: OpaquePointer?) -> Int32 {
    guard let h = handle(model) else { return -1 }
    return Int32(h.model.features.count)
}

/// Number of components (networks, tree ensembles); -1 for a null model.
@c @implementation public func mc_model_component_count(_ model: OpaquePointer?) -> Int32 {
    guard let h = handle(model) else { return -1 }
    return Int32(h.model.components.count)
}

func handle(_ p: OpaquePointer?) -> ModelHandle? {
    guard let p else { return nil }
    return Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(p)).takeUnretainedValue()
}
