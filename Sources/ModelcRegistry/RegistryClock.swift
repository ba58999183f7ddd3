import Foundation

/// Who does something and when: `$USER` (else `$LOGNAME`, else the account name), and unix
/// seconds stored as integers, shown as ISO 8601 UTC.
enum RegistryClock {
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    static func iso8601(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    static var user: String {
        let env = ProcessInfo.processInfo.environment
        for key in ["USER", "LOGNAME"] { if let v = env[key], !v.isEmpty { return v } }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}
