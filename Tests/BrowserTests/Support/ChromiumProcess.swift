import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the browser could not be used: every case is a test failure, never a skip.
struct BrowserStartError: Error, CustomStringConvertible {
    let description: String
}

/// A headless Chromium started for one suite: its own temporary profile, DevTools on a free
/// port. ``stop()`` kills it and removes the temporary directory.
///
/// The executable is `$CHROMIUM` when set, else the first of `chromium`, `chromium-browser`,
/// `google-chrome` on `PATH` (Debian's package installs `/usr/bin/chromium`).
final class ChromiumProcess: @unchecked Sendable {
    // Immutable after `launch`; `Process` itself is thread-safe for `isRunning`/`terminate`.
    private let process: Process
    /// The temporary directory holding the profile and the browser's log.
    let directory: URL
    /// `ws://127.0.0.1:PORT/devtools/browser/…`
    let webSocketDebuggerURL: String

    private init(process: Process, directory: URL, webSocketDebuggerURL: String) {
        self.process = process
        self.directory = directory
        self.webSocketDebuggerURL = webSocketDebuggerURL
    }

    static func executable() throws(BrowserStartError) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CHROMIUM"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw BrowserStartError(description: "CHROMIUM=\(path) is not an executable file")
            }
            return path
        }
        let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in directories {
                let path = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        throw BrowserStartError(
            description:
                "Chromium was not found on PATH (looked for chromium, chromium-browser, google-chrome). The real-browser suite needs Debian's chromium package: run Scripts/test.sh, or `apt-get install -y chromium`, or set CHROMIUM=/path/to/chrome."
        )
    }

    /// Starts Chromium and waits (at most `timeout`) for its DevTools endpoint.
    static func launch(arguments: [String] = [], timeout: Duration = .seconds(60)) async throws -> ChromiumProcess {
        let executable = try executable()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cors-browser-tests-\(UUID().uuidString)", isDirectory: true)
        let profile = directory.appendingPathComponent("profile", isDirectory: true)
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        // Chromium 156's default for a new profile blocks third-party cookies; the suite's
        // profile allows them, like a person's who kept Chrome's "Allow third-party cookies"
        // (the cookie tests then block them per page, to show both).
        let defaultProfile = profile.appendingPathComponent("Default", isDirectory: true)
        try FileManager.default.createDirectory(at: defaultProfile, withIntermediateDirectories: true)
        try Data(#"{"profile":{"cookie_controls_mode":0}}"#.utf8)
            .write(to: defaultProfile.appendingPathComponent("Preferences"))
        let logURL = directory.appendingPathComponent("chromium.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--remote-debugging-port=0", "--user-data-dir=\(profile.path)",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--mute-audio", "--password-store=basic",
        ] + arguments + ["about:blank"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw BrowserStartError(description: "Chromium (\(executable)) could not be started: \(error)")
        }
        try? log.close()

        // Chromium writes "PORT\n/devtools/browser/ID" once DevTools listens.
        let activePort = profile.appendingPathComponent("DevToolsActivePort")
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if let text = try? String(contentsOf: activePort, encoding: .utf8) {
                let lines = text.split(separator: "\n").map(String.init)
                if lines.count >= 2, let port = Int(lines[0]) {
                    return ChromiumProcess(
                        process: process, directory: directory,
                        webSocketDebuggerURL: "ws://127.0.0.1:\(port)\(lines[1])")
                }
            }
            if !process.isRunning {
                let tail = Self.tail(of: logURL)
                try? FileManager.default.removeItem(at: directory)
                throw BrowserStartError(
                    description:
                        "Chromium (\(executable)) exited with status \(process.terminationStatus) before DevTools was listening. Its output ends with:\n\(tail)"
                )
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let tail = Self.tail(of: logURL)
        Self.end(process)
        try? FileManager.default.removeItem(at: directory)
        throw BrowserStartError(
            description: "Chromium (\(executable)) did not open its DevTools port within \(timeout). Its output ends with:\n\(tail)"
        )
    }

    /// Kills the browser (SIGTERM, then SIGKILL after 5 s) and removes its temporary directory.
    func stop() {
        Self.end(process)
        try? FileManager.default.removeItem(at: directory)
    }

    /// The last lines the browser printed, without the D-Bus noise of a container.
    var logTail: String {
        Self.tail(of: directory.appendingPathComponent("chromium.log"))
    }

    private static func end(_ process: Process) {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline {
            usleep(20_000)
        }
        if process.isRunning {
            _ = kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }

    private static func tail(of url: URL) -> String {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return "(no output)" }
        let lines = text.split(separator: "\n").filter { !$0.contains("dbus") }
        return lines.suffix(15).joined(separator: "\n")
    }
}
