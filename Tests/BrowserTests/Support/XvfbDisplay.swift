import Foundation

/// A virtual X display for WebKitGTK, which has no headless mode: one `Xvfb` per suite, on the
/// first free display number (`-displayfd`), reachable through its Unix socket only.
final class XvfbDisplay: Sendable {
    private let process: ProcessGroup
    private let directory: URL
    /// `:N`, for `DISPLAY`.
    let display: String

    private init(process: ProcessGroup, directory: URL, display: String) {
        self.process = process
        self.directory = directory
        self.display = display
    }

    static func start(timeout: Duration = .seconds(20)) async throws -> XvfbDisplay {
        let executable = try EngineBinaries.require(EngineBinaries.xvfb, "Xvfb", package: "xvfb")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cors-xvfb-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // `-displayfd 1`: Xvfb picks a free display and writes its number to standard output.
        let process = try ProcessGroup.launch(
            "Xvfb", executable: executable,
            arguments: ["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
            logURL: directory.appendingPathComponent("xvfb.log"))
        do {
            var number: Int?
            try await waitFor("Xvfb's display number", timeout: timeout) {
                if !process.isRunning {
                    throw BrowserStartError(description: "Xvfb exited with status \(process.terminationStatus):\n\(process.outputTail)")
                }
                number = process.output.split(whereSeparator: \.isNewline).lazy.compactMap { Int($0) }.first
                return number != nil
            }
            return XvfbDisplay(process: process, directory: directory, display: ":\(number!)")
        } catch {
            process.stop()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
