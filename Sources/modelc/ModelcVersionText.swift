import ModelcRuntime

enum ModelcVersionText {
    static var text: String {
        "modelc \(ModelcVersion.string) (artifact format \(ArtifactFormat.formatMajor).\(ArtifactFormat.formatMinor))"
    }
}
