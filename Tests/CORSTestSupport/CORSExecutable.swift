public import Foundation
import Synchronization

/// The built `cors` executable, run as a script would run it: exit status, standard output and
/// standard error exactly, with a bound on how long it may take.
public enum CORSExecutable {
    /// How long a run may take before it counts as a hang: long enough for a loaded two-core CI
    /// machine, short enough that a hang fails the test instead of blocking CI.
    public static let hangLimit: Duration = .seconds(60)

    /// The executable is not next to the test bundle.
    public struct NotBuilt: Error, CustomStringConvertible {
        public var description: String {
            "the cors executable is not next to the test bundle; build it with `swift build --build-tests`"
        }
    }

    /// A run that did not finish within its limit; the process was killed.
    public struct Hang: Error, CustomStringConvertible {
        public var description: String
    }

    /// What a run of `cors` gave.
    public struct Run: Sendable, CustomStringConvertible {
        public var status: Int32
        /// Whether the process exited (rather than died of a signal).
        public var exited: Bool
        public var standardOutput: String
        public var standardError: String

        /// The non-empty lines of standard error.
        public var errorLines: [String] {
            standardError.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        }

        public var description: String {
            let output = standardOutput.count > 2000 ? String(standardOutput.prefix(2000)) + "…" : standardOutput
            return "status \(status)\(exited ? "" : " (killed by a signal)")\nstderr: \(standardError)\nstdout: \(output)"
        }
    }

    /// The `cors` executable next to the test bundle (`swift build --build-tests` and `swift test`
    /// build it there). A missing executable fails the test that needs it; it is never a skip.
    public static func url() throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("cors")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw NotBuilt()
    }

    /// Runs `cors arguments` with `NO_COLOR=1`, no `CORS_PROFILE`, and `environment` added to this
    /// process's environment, without blocking a thread of the cooperative pool (the process may
    /// be talking to a server inside this test process; on two cores two blocked threads stall
    /// every task). A process still running after `limit` is killed and reported as a ``Hang``.
    ///
    /// Output goes to temporary files, not pipes: nothing has to drain them while the process
    /// runs, and reading a pipe can be interrupted (EINTR), which Foundation turns into a crash.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], limit: Duration = hangLimit
    ) async throws -> Run {
        let executable = try url()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? error.close()
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment["NO_COLOR"] = "1"
        processEnvironment.removeValue(forKey: "CORS_PROFILE")
        processEnvironment.merge(environment) { $1 }
        process.environment = processEnvironment
        process.standardOutput = output
        process.standardError = error
        // The timer kills the process only while it runs.
        let state = Mutex((finished: false, hung: false))
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in
                state.withLock { $0.finished = true }
                continuation.resume()
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + Double(limit.components.seconds)) {
                state.withLock { state in
                    guard !state.finished else { return }
                    state.hung = true
                    kill(pid, SIGKILL)
                }
            }
        }
        let run = Run(
            status: process.terminationStatus, exited: process.terminationReason == .exit,
            standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
        if state.withLock({ $0.hung }) {
            throw Hang(description: "cors \(arguments.joined(separator: " ")) did not exit within \(limit): it hangs")
        }
        return run
    }
}
