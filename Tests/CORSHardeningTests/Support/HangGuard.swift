import Foundation
import NIOConcurrencyHelpers
import Testing

/// The one wall-clock bound these tests use: long enough for a loaded two-core CI machine, short
/// enough that a hang fails the test instead of blocking CI.
let hangLimit: Duration = .seconds(60)

struct HangError: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body` and returns its result, or throws ``HangError`` when it has not finished within
/// `limit`. The body runs in its own task, so a body that ignores cancellation cannot block the
/// caller: on a hang the task is cancelled and abandoned.
func withHangGuard<T: Sendable>(
    _ what: String, limit: Duration = hangLimit, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let state = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
    let work = NIOLockedValueBox<Task<Void, Never>?>(nil)
    let timer = NIOLockedValueBox<Task<Void, Never>?>(nil)
    @Sendable func finish(_ result: Result<T, any Error>) {
        let continuation = state.withLockedValue { continuation in
            defer { continuation = nil }
            return continuation
        }
        continuation?.resume(with: result)
    }
    return try await withCheckedThrowingContinuation { continuation in
        state.withLockedValue { $0 = continuation }
        work.withLockedValue {
            $0 = Task {
                do {
                    finish(.success(try await body()))
                } catch {
                    finish(.failure(error))
                }
                timer.withLockedValue { $0?.cancel() }
            }
        }
        timer.withLockedValue {
            $0 = Task {
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                work.withLockedValue { $0?.cancel() }
                finish(.failure(HangError(description: "\(what) did not finish within \(limit): it hangs")))
            }
        }
    }
}

// MARK: The built executable

/// The `cors` executable next to the test bundle (`swift build --build-tests` builds it there).
enum CorsExecutable {
    static let url: URL? = {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("cors")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    struct Run: Sendable, CustomStringConvertible {
        var status: Int32
        /// Whether the process exited (rather than died of a signal).
        var exited: Bool
        var standardOutput: String
        var standardError: String

        /// The non-empty lines of standard error.
        var errorLines: [String] {
            standardError.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        }

        var description: String {
            let output = standardOutput.count > 2000 ? String(standardOutput.prefix(2000)) + "…" : standardOutput
            return "status \(status)\(exited ? "" : " (killed by a signal)")\nstderr: \(standardError)\nstdout: \(output)"
        }
    }

    /// Runs `cors arguments`, without blocking a thread of the cooperative pool. A process still
    /// running after `limit` is killed and reported as a hang.
    static func run(_ arguments: [String], limit: Duration = hangLimit) async throws -> Run {
        guard let executable = url else {
            throw HangError(description: "the cors executable is not built next to the tests: run `swift build --build-tests` first")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-hardening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Files, not pipes: nothing has to drain them while the process runs.
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
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardOutput = output
        process.standardError = error
        // (finished, killed for hanging): the timer kills the process only while it runs.
        let state = NIOLockedValueBox((finished: false, hung: false))
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in
                state.withLockedValue { $0.finished = true }
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
            let seconds = Double(limit.components.seconds)
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                state.withLockedValue { state in
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
        if state.withLockedValue({ $0.hung }) {
            throw HangError(description: "cors \(arguments.joined(separator: " ")) did not exit within \(limit): it hangs")
        }
        return run
    }
}
