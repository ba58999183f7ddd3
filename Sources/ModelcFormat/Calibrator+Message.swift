import ModelcRuntime

extension Modelc_Calibrator {
    /// The message of a runtime calibrator (Spec.md §4.9).
    public init(_ c: Calibrator) {
        self.init()
        switch c {
        case .platt(let a, let b):
            var m = Modelc_PlattScaling()
            m.a = a
            m.b = b
            platt = m
        case .isotonic(let x, let y):
            var m = Modelc_IsotonicCalibration()
            m.x = x
            m.y = y
            isotonic = m
        }
    }
}
