import Foundation

extension Double {
    /// Seconds as a person reads them, the same on the console and in the report: "45 s", "12 min 05 s", "3 h 07 min".
    public var durationText: String {
        let total = Int(rounded())
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(String(format: "%02d", total % 60)) s" }
        return "\(total / 3600) h \(String(format: "%02d", total % 3600 / 60)) min"
    }
}
