import ArgumentParser
import Foundation
import Testing

@testable import CORSCommandLine

/// `cors lint`, in-process: exact output and exit status for every outcome.
@Suite("cors lint")
struct LintCommandTests {
    /// Writes `contents` to a fresh file and returns its path.
    static func file(_ contents: String, name: String = "cors.json") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    /// Runs `cors lint ARGUMENTS` in-process with `environment`.
    static func lint(_ arguments: [String], environment: [String: String] = [:]) throws -> LintReport {
        let command = try LintCommand.parse(arguments)
        return try command.report(environment: environment)
    }

    @Test func wildcardWithCredentialsExitsOneWithItsCode() throws {
        let path = try Self.file(#"{"allowOrigins": ["*"], "allowCredentials": true}"#)
        let report = try Self.lint([path, "--json"])
        #expect(report.exitCode == 1)
        #expect(
            report.output == """
                {"findings": [
                  {"severity": "error", "code": "wildcard-with-credentials", "path": "allowOrigins[0]", "message": "\\"*\\" cannot be combined with allowCredentials: true. Browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests, and reflecting any origin instead would let every website read your users' data.", "fix": "list the exact origins of your frontends (e.g. \\"https://app.example.com\\"), or set allowCredentials to false if the API is public and uses no cookies or Authorization."}
                ]}
                """)
    }

    @Test func jsonOutputIsOneDocumentWithExactlyTheFiveKeys() throws {
        let path = try Self.file(#"{"allowOrigins": ["https://app.example.com/", "*"], "allowCredentials": true, "maxAge": 9000}"#)
        let report = try Self.lint([path, "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        #expect(Array(document.keys) == ["findings"])
        let findings = try #require(document["findings"] as? [[String: String]])
        #expect(findings.allSatisfy { Set($0.keys) == ["severity", "code", "path", "message", "fix"] })
        #expect(
            findings.map { [$0["severity"]!, $0["code"]!, $0["path"]!] } == [
                ["error", "origin-trailing-slash", "allowOrigins[0]"],
                ["error", "wildcard-with-credentials", "allowOrigins[1]"],
                ["warning", "wildcard-mixed-with-origins", "allowOrigins[1]"],
                ["warning", "max-age-above-browser-cap", "maxAge"],
            ])
        #expect(report.exitCode == 1)
    }

    @Test func cleanFileExitsZero() throws {
        let path = try Self.file(#"{"allowOrigins": ["https://app.example.com"], "allowCredentials": true}"#)
        #expect(try Self.lint([path, "--json"]) == LintReport(output: #"{"findings": []}"#, exitCode: 0))
        #expect(try Self.lint([path]) == LintReport(output: "\(path) (profile production): no findings", exitCode: 0))
    }

    @Test func warningsOnlyExitZero() throws {
        let path = try Self.file(#"{"allowOrigins": ["*"]}"#)
        let report = try Self.lint([path, "--json"])
        #expect(report.exitCode == 0)
        #expect(report.output.contains(#""severity": "warning", "code": "wildcard-origin""#))
    }

    @Test func humanOutputListsSeverityCodePathPositionMessageAndFix() throws {
        let path = try Self.file("{\n  \"allowOrigins\": [\"https://app.example.com\"],\n  \"allowOrigin\": []\n}")
        let report = try Self.lint([path])
        #expect(report.exitCode == 1)
        #expect(
            report.output == """
                \(path) (profile production): 1 error, 0 warnings

                error[unknown-key] allowOrigin (line 3, column 3)
                  "allowOrigin" is not a policy setting; ignoring it could silently allow nothing or everything.
                  fix: did you mean "allowOrigins"?
                """)
    }

    @Test func unreadableFileIsExitTwoWithOneLine() throws {
        let error = try #require(throws: ToolFailure.self) { try Self.lint(["/nonexistent/cors.json"]) }
        #expect(error.description == "cannot read policy file /nonexistent/cors.json: no such file")
    }

    @Test func syntaxErrorIsExitTwoWithLineAndColumn() throws {
        let path = try Self.file("{\n  \"allowOrigins\": [\"https://app.example.com\",]\n}")
        let error = try #require(throws: ToolFailure.self) { try Self.lint([path, "--json"]) }
        #expect(error.description == "\(path): invalid JSON at line 2, column 46: trailing comma before ']'; remove the last ','")
        #expect(!error.description.contains("\n"))
    }

    @Test func unknownProfileIsExitTwo() throws {
        let path = try Self.file(#"{"profiles": {"production": {"allowOrigins": ["https://app.example.com"]}}}"#)
        let error = try #require(throws: ToolFailure.self) { try Self.lint([path, "--profile", "staging"]) }
        #expect(
            error.description
                == "\(path) has no profile \"staging\" under \"profiles\" (it has production); choose one with --profile or CORS_PROFILE")
    }

    @Test func profileComesFromTheOptionThenCorsProfileThenProduction() throws {
        let path = try Self.file("""
            {"profiles": {
              "development": {"allowOrigins": ["http://localhost:5173"], "allowCredentials": true},
              "production": {"allowOrigins": ["https://app.example.com", "http://localhost:5173"]}
            }}
            """)
        let production = try Self.lint([path, "--json"])
        #expect(production.output.contains(#""code": "production-localhost-origin", "path": "profiles.production.allowOrigins[1]""#))
        #expect(production.exitCode == 0)
        let fromEnvironment = try Self.lint([path, "--json"], environment: ["CORS_PROFILE": "development"])
        #expect(fromEnvironment == LintReport(output: #"{"findings": []}"#, exitCode: 0))
        let fromOption = try Self.lint([path, "--profile", "production"], environment: ["CORS_PROFILE": "development"])
        #expect(fromOption.output.hasPrefix("\(path) (profile production): 0 errors, 1 warning"))
    }

    @Test func envFlagLintsTheEffectivePolicy() throws {
        let path = try Self.file(#"{"allowOrigins": ["https://app.example.com"], "allowCredentials": true}"#)
        let environment = ["CORS_ALLOW_ORIGINS": "*"]
        #expect(try Self.lint([path, "--json"], environment: environment).exitCode == 0)
        let report = try Self.lint([path, "--json", "--env"], environment: environment)
        #expect(report.exitCode == 1)
        #expect(report.output.contains(#""code": "wildcard-with-credentials", "path": "cors.allowOrigins[0]""#))
    }

    @Test func jsonStringsEscapeOnlyWhatJSONRequires() {
        #expect(LintReport.jsonString("a\"b\\c/d\u{1}é\n") == #""a\"b\\c/d\u0001é\n""#)
    }
}
