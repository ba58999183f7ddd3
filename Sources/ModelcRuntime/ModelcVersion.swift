/// The version of modelc (toolchain and runtime are released together). Recorded as
/// `producer_version` in every artifact and returned by `mc_version()`.
public enum ModelcVersion {
    public static let staticString: StaticString = "0.1.0"
    public static var string: String { "\(staticString)" }
}
