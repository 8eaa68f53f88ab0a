import Foundation
import Testing
import CORSTestSupport

/// `cors lint` through the built `cors` executable: exit statuses 0, 1 and 2, standard output
/// and standard error exactly as a script sees them.
@Suite("cors lint (executable)")
struct LintBinaryTests {
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CORSExecutable.Run {
        try await CORSExecutable.run(arguments, environment: environment)
    }

    static func file(_ contents: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-lint-bin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("cors.json")
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    @Test func errorsExitOne() async throws {
        let path = try Self.file(#"{"allowOrigins": ["*"], "allowCredentials": true}"#)
        let run = try await Self.run(["lint", path, "--json"])
        #expect(run.status == 1)
        #expect(run.standardError == "")
        #expect(run.standardOutput.hasPrefix(#"{"findings": ["# + "\n" + #"  {"severity": "error", "code": "wildcard-with-credentials", "path": "allowOrigins[0]", "message": "#))
        #expect(run.standardOutput.hasSuffix("\n]}\n"))
    }

    @Test func cleanExitsZero() async throws {
        let path = try Self.file(#"{"allowOrigins": ["https://app.example.com"]}"#)
        let run = try await Self.run(["lint", path, "--json"])
        #expect(run.status == 0)
        #expect(run.standardOutput == "{\"findings\": []}\n")
        #expect(run.standardError == "")
    }

    @Test func warningsExitZero() async throws {
        let path = try Self.file(#"{"allowOrigins": ["https://app.example.com"], "maxAge": 86400}"#)
        let run = try await Self.run(["lint", path])
        #expect(run.status == 0)
        #expect(run.standardOutput.hasPrefix("\(path) (profile production): 0 errors, 1 warning\n"))
    }

    @Test func unparsableExitsTwoWithOneLineOnStandardError() async throws {
        let path = try Self.file("{\"allowOrigins\": [\"https://app.example.com\"")
        let run = try await Self.run(["lint", path, "--json"])
        #expect(run.status == 2)
        #expect(run.standardOutput == "")
        #expect(
            run.standardError
                == "cors: \(path): invalid JSON at line 1, column 44: unexpected end of file inside an array; expected ',' or ']'\n")
    }

    @Test func missingFileExitsTwo() async throws {
        let run = try await Self.run(["lint", "/nonexistent/cors.json"])
        #expect(run.status == 2)
        #expect(run.standardError == "cors: cannot read policy file /nonexistent/cors.json: no such file\n")
    }

    @Test func corsProfileFromTheEnvironment() async throws {
        let path = try Self.file(#"{"profiles": {"development": {"allowOrigins": ["http://localhost:5173"]}}}"#)
        #expect(try await Self.run(["lint", path]).status == 2)
        let run = try await Self.run(["lint", path, "--json"], environment: ["CORS_PROFILE": "development"])
        #expect(run.status == 0)
        #expect(run.standardOutput == "{\"findings\": []}\n")
    }
}
