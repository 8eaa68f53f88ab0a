import Foundation
import ArgumentParser

/// `--fail-on`: the lowest severity that fails the scan, per axis. `LEVEL` sets both axes (the
/// original meaning); `exposure:high,breakage:medium` sets each; an axis left out never fails.
struct ScanFailPolicy: Sendable, Hashable, ExpressibleByArgument {
    var thresholds: [ScanAxis: ScanSeverity]

    init(exposure: ScanSeverity?, breakage: ScanSeverity?) {
        thresholds = [:]
        thresholds[.exposure] = exposure
        thresholds[.breakage] = breakage
    }

    init?(argument: String) {
        let text = argument.lowercased().trimmingCharacters(in: .whitespaces)
        if let level = ScanSeverity(rawValue: text) {
            self.init(exposure: level, breakage: level)
            return
        }
        var thresholds: [ScanAxis: ScanSeverity] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, let axis = ScanAxis(rawValue: pieces[0]), let level = ScanSeverity(rawValue: pieces[1]),
                thresholds[axis] == nil
            else { return nil }
            thresholds[axis] = level
        }
        self.init(exposure: thresholds[.exposure], breakage: thresholds[.breakage])
    }

    var defaultValueDescription: String {
        ScanAxis.allCases.compactMap { axis in thresholds[axis].map { "\(axis.rawValue):\($0.rawValue)" } }.joined(separator: ",")
    }

    /// Whether `finding` fails the scan.
    func fails(_ finding: ScanFinding) -> Bool {
        guard let threshold = thresholds[finding.axis] else { return false }
        return finding.severity >= threshold
    }
}
