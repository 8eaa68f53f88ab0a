import Foundation
import CORSTestSupport

/// The pieces the export tests run: the `cors` executable, child processes on free 127.0.0.1
/// ports, and the policies of the conformance table as policy files.
enum ExportHarness {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The conformance table's policies in the JSON form `cors export` reads. The routed table
    /// is not a policy file and no stack exports it.
    static func policyJSON(_ policy: ConformancePolicy) -> String? {
        switch policy {
        case .tutorial:
            #"{"allowOrigins": ["https://app.example.com", "http://localhost:5173"], "allowCredentials": true, "allowMethods": ["GET", "POST", "PUT", "DELETE"], "allowHeaders": ["Authorization", "Content-Type"], "exposeHeaders": ["X-Request-Id"], "maxAge": 600}"#
        case .publicAPI:
            #"{"allowOrigins": ["*"], "allowMethods": ["GET", "POST"], "allowHeaders": ["*"], "exposeHeaders": ["X-Request-Id"], "maxAge": 7200}"#
        case .patterns:
            #"{"allowOriginPatterns": ["https://*.example.com", "http://localhost:*"], "allowMethods": ["PATCH"], "allowHeaders": ["X-Api-Key"], "maxAge": 600, "allowPrivateNetwork": true, "preflightStatus": 200}"#
        case .routed:
            nil
        }
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-export-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The `cors` executable next to the test bundle (`swift build --build-tests` builds it).
    static func corsExecutable() throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("cors")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw Failure(description: "the cors executable is not next to the test bundle; build it with `swift build --build-tests`")
    }

    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `executable` with `arguments` to completion; output through files, not pipes.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cors-run-\(UUID().uuidString)")
                        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                        defer { try? FileManager.default.removeItem(at: scratch) }
                        let out = scratch.appendingPathComponent("out")
                        let err = scratch.appendingPathComponent("err")
                        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
                        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
                        let outHandle = try FileHandle(forWritingTo: out)
                        let errHandle = try FileHandle(forWritingTo: err)
                        let process = Process()
                        process.executableURL = executable
                        process.arguments = arguments
                        if let directory { process.currentDirectoryURL = directory }
                        process.standardOutput = outHandle
                        process.standardError = errHandle
                        try process.run()
                        process.waitUntilExit()
                        try? outHandle.close()
                        try? errHandle.close()
                        return Run(
                            status: process.terminationStatus,
                            output: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                            error: String(decoding: try Data(contentsOf: err), as: UTF8.self))
                    })
            }
        }
    }

    /// `cors export FILE --to STACK …` for `policy`; fails the test unless it exits 0.
    static func export(_ policy: ConformancePolicy, to stack: String, extra: [String] = []) async throws -> String {
        guard let json = policyJSON(policy) else { throw Failure(description: "\(policy) has no policy file") }
        let directory = try temporaryDirectory("policy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("policy.json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        let run = try await run(corsExecutable(), ["export", file.path, "--to", stack] + extra)
        guard run.status == 0 else { throw Failure(description: "cors export --to \(stack) exited \(run.status): \(run.error)") }
        return run.output
    }

}

/// A server started for one test: killed by ``stop()``, or by its watchdog when the test process
/// dies first.
final class ChildServer: @unchecked Sendable {  // the process is only asked isRunning and signalled
    let name: String
    let port: Int
    let log: URL
    private let process: Process
    private let watchdog: Process
    /// nginx resets the signal mask it inherits and shuts down cleanly (workers too) on SIGTERM;
    /// the others may inherit a mask that blocks it, so they get SIGKILL.
    private let stopSignal: Int32

    private init(name: String, port: Int, log: URL, process: Process, watchdog: Process, stopSignal: Int32) {
        self.name = name
        self.port = port
        self.log = log
        self.process = process
        self.watchdog = watchdog
        self.stopSignal = stopSignal
    }

    /// Starts `executable` and waits until 127.0.0.1:`port` accepts connections.
    static func start(
        _ name: String, executable: String, arguments: [String], port: Int, directory: URL? = nil,
        environment: [String: String] = [:], stopSignal: Int32 = SIGKILL
    ) async throws -> ChildServer {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("cors-export-\(name)-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = [
            "-c",
            #"while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -0 "$1" 2>/dev/null || kill -"$3" "$2" 2>/dev/null"#,
            "export-watchdog", String(getpid()), String(process.processIdentifier), String(stopSignal),
        ]
        try watchdog.run()
        try? output.close()
        let server = ChildServer(
            name: name, port: port, log: log, process: process, watchdog: watchdog, stopSignal: stopSignal)
        for _ in 0..<300 {
            if LoopbackPort.accepts(port) { return server }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        await server.stop()
        throw ExportHarness.Failure(description: "\(name) did not listen on 127.0.0.1:\(port): \(text.suffix(2000))")
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func stop() async {
        let (process, watchdog, signal, log) = (self.process, self.watchdog, self.stopSignal, self.log)
        await Task {
            if process.isRunning { kill(process.processIdentifier, signal) }
            for _ in 0..<200 where process.isRunning {
                try? await Task.sleep(for: .milliseconds(25))
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            // The watchdog sees the server gone within a second and ends by itself.
            _ = watchdog
            try? FileManager.default.removeItem(at: log)
        }.value
    }
}
