import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process together with everything it starts. Foundation puts each child in its own
/// process group, so a browser's content, network and GPU processes are stopped with it:
/// SIGTERM to the group, SIGKILL to whatever is left after a grace period.
final class ProcessGroup: @unchecked Sendable {
    // Immutable after `launch`; `Process` itself is thread-safe for `isRunning`/`terminate`.
    private let process: Process
    let name: String
    /// Where the process's standard output and error go.
    let logURL: URL

    private init(process: Process, name: String, logURL: URL) {
        self.process = process
        self.name = name
        self.logURL = logURL
    }

    /// Starts `executable`, its output (both streams) appended to `logURL`, with `environment`
    /// added to the test runner's own.
    static func launch(
        _ name: String, executable: String, arguments: [String], environment: [String: String] = [:], logURL: URL
    ) throws -> ProcessGroup {
        if !FileManager.default.fileExists(atPath: logURL.path) {
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logURL)
        defer { try? log.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw BrowserStartError(description: "\(name) (\(executable)) could not be started: \(error)")
        }
        return ProcessGroup(process: process, name: name, logURL: logURL)
    }

    var isRunning: Bool { process.isRunning }
    var terminationStatus: Int32 { process.terminationStatus }

    /// Everything the process has written so far.
    var output: String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    /// The last lines of its output, without the D-Bus noise of a container.
    var outputTail: String {
        let lines = output.split(separator: "\n").filter { !$0.contains("dbus") && !$0.contains("DBus") }
        return lines.suffix(15).joined(separator: "\n")
    }

    /// Stops the whole group: SIGTERM, then SIGKILL after `grace` seconds.
    func stop(grace: TimeInterval = 5) {
        let group = -process.processIdentifier
        _ = kill(group, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline {
            usleep(20_000)
        }
        // Children that outlived the leader, and a leader that ignored SIGTERM.
        _ = kill(group, SIGKILL)
        if process.isRunning { process.waitUntilExit() }
    }
}

/// Polls `condition` every 20 ms until it holds, or throws after `timeout` naming `what`.
func waitFor(
    _ what: @autoclosure () -> String, timeout: Duration, _ condition: () throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while try !condition() {
        guard clock.now < deadline else {
            throw BrowserStartError(description: "timed out after \(timeout) waiting for \(what())")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago (for programs that take `--port=N`).
func freeLoopbackPort() throws -> Int {
    #if canImport(Glibc)
    let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    let streamType = SOCK_STREAM
    #endif
    let descriptor = socket(AF_INET, streamType, 0)
    guard descriptor >= 0 else { throw BrowserStartError(description: "socket() failed: \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else { throw BrowserStartError(description: "bind() failed: \(errno)") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else { throw BrowserStartError(description: "getsockname() failed: \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}
