import CORS
import CORSConfiguration
import Foundation
import Testing

@testable import CORSCommandLine

/// The lint catalogue (`Docs/lint-catalogue/CODE.json`, from which `Docs/cors/lint-catalogue.md`
/// is generated): one bad policy per rule, each reporting exactly the findings listed here.
@Suite("cors lint catalogue")
struct LintCatalogueTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Docs/lint-catalogue")

    /// Every finding of every example: severity, code and path, and the exit status.
    static let expected: [String: (findings: [String], exitCode: Int32)] = [
        "wildcard-with-credentials": (["error wildcard-with-credentials allowOrigins[0]"], 1),
        "wildcard-origin": (["warning wildcard-origin allowOrigins[0]"], 0),
        "wildcard-mixed-with-origins": (
            ["warning wildcard-origin allowOrigins[0]", "warning wildcard-mixed-with-origins allowOrigins[0]"], 0
        ),
        "no-origins": (["error no-origins allowOrigins"], 1),
        "null-origin": (["error null-origin allowOrigins[0]"], 1),
        "origin-whitespace": (["error origin-whitespace allowOrigins[0]"], 1),
        "origin-missing-scheme": (["error origin-missing-scheme allowOrigins[0]"], 1),
        "origin-invalid-scheme": (["error origin-invalid-scheme allowOrigins[0]"], 1),
        "origin-uppercase": (["error origin-uppercase allowOrigins[0]"], 1),
        "origin-trailing-slash": (["error origin-trailing-slash allowOrigins[0]"], 1),
        "origin-path": (["error origin-path allowOrigins[0]"], 1),
        "origin-query": (["error origin-query allowOrigins[0]"], 1),
        "origin-fragment": (["error origin-fragment allowOrigins[0]"], 1),
        "origin-userinfo": (["error origin-userinfo allowOrigins[0]"], 1),
        "origin-default-port": (["error origin-default-port allowOrigins[0]"], 1),
        "origin-invalid-port": (["error origin-invalid-port allowOrigins[0]"], 1),
        "origin-invalid-host": (["error origin-invalid-host allowOrigins[0]"], 1),
        "origin-opaque-scheme": (["error origin-opaque-scheme allowOrigins[0]"], 1),
        "duplicate-origin": (["warning duplicate-origin allowOrigins[1]"], 0),
        "insecure-origin-with-credentials": (["error insecure-origin-with-credentials allowOrigins[0]"], 1),
        "pattern-invalid": (["error pattern-invalid allowOriginPatterns[0]"], 1),
        "pattern-too-broad": (["error pattern-too-broad allowOriginPatterns[0]"], 1),
        "invalid-method": (["error invalid-method allowMethods[0]"], 1),
        "forbidden-method": (["error forbidden-method allowMethods[1]"], 1),
        "method-case": (["error method-case allowMethods[0]"], 1),
        "methods-wildcard-with-credentials": (["error methods-wildcard-with-credentials allowMethods[0]"], 1),
        "invalid-header-name": (["error invalid-header-name allowHeaders[0]"], 1),
        "forbidden-header-name": (["error forbidden-header-name allowHeaders[0]"], 1),
        "headers-wildcard-with-credentials": (["error headers-wildcard-with-credentials allowHeaders[0]"], 1),
        "duplicate-name": (["warning duplicate-name allowHeaders[1]"], 0),
        "expose-set-cookie": (["error expose-set-cookie exposeHeaders[0]"], 1),
        "expose-wildcard-with-credentials": (["error expose-wildcard-with-credentials exposeHeaders[0]"], 1),
        "expose-safelisted-header": (["warning expose-safelisted-header exposeHeaders[0]"], 0),
        "max-age-out-of-range": (["error max-age-out-of-range maxAge"], 1),
        "max-age-above-browser-cap": (["warning max-age-above-browser-cap maxAge"], 0),
        "invalid-preflight-status": (["error invalid-preflight-status preflightStatus"], 1),
        "private-network-access-deprecated": (["warning private-network-access-deprecated allowPrivateNetwork"], 0),
        "unknown-key": (["error unknown-key allowCredential"], 1),
        "invalid-value": (["error invalid-value allowOrigins"], 1),
        "duplicate-key": (["error duplicate-key allowOrigins"], 1),
        "invalid-profile": (["error invalid-profile profiles.production"], 1),
        "production-localhost-origin": (["warning production-localhost-origin allowOrigins[1]"], 0),
        "production-insecure-origin": (["warning production-insecure-origin allowOrigins[0]"], 0),
        "production-wildcard-with-cookies": (
            ["warning wildcard-origin allowOrigins[0]", "error production-wildcard-with-cookies allowOrigins[0]"], 1
        ),
    ]

    @Test func everyCodeHasAnExample() throws {
        let codes = CORSPolicyFinding.Code.allCodes.map(\.rawValue)
        #expect(Set(Self.expected.keys) == Set(codes))
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
        #expect(Set(files) == Set(codes))
    }

    @Test(arguments: CORSPolicyFinding.Code.allCodes.map(\.rawValue))
    func exampleReportsItsCode(_ code: String) throws {
        let path = Self.directory.appendingPathComponent("\(code).json").path
        let command = try LintCommand.parse([path, "--json"])
        let report = try command.report(environment: [:])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: [[String: String]]])
        let findings = try #require(document["findings"]).map { "\($0["severity"]!) \($0["code"]!) \($0["path"]!)" }
        let expected = try #require(Self.expected[code])
        #expect(findings == expected.findings)
        #expect(report.exitCode == expected.exitCode)
    }
}
