import Foundation

/// The built `cors` executable, run as a script would run it: exit status, standard output and
/// standard error exactly.
enum CORSBinary {
    struct NotBuilt: Error, CustomStringConvertible {
        var description: String {
            "the cors executable is not next to the test bundle; build it with `swift build --build-tests`"
        }
    }

    /// The `cors` executable next to the test bundle (`swift build --build-tests` and `swift test`
    /// build it there). A missing executable fails the test that needs it; it is never a skip.
    static func url() throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("cors")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw NotBuilt()
    }

    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs `cors` with `arguments` and waits for it to exit, without blocking a thread of the
    /// cooperative pool: the process may be talking to a server inside this test process, and
    /// on a two-core machine two blocked threads stall every task.
    static func launch(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(arguments, environment: environment) })
            }
        }
    }

    /// Runs `cors` with `arguments` (and `NO_COLOR=1` plus `environment` added to this process's
    /// environment), blocking the calling thread; use ``launch(_:environment:)`` from async tests.
    /// Output goes to temporary files, not pipes: reading a pipe while the process runs can be
    /// interrupted (EINTR), which Foundation's `readDataToEndOfFile` turns into a crash.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
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
        process.executableURL = try url()
        process.arguments = arguments
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment["NO_COLOR"] = "1"
        processEnvironment.removeValue(forKey: "CORS_PROFILE")
        processEnvironment.merge(environment) { $1 }
        process.environment = processEnvironment
        process.standardOutput = output
        process.standardError = error
        try process.run()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }
}
