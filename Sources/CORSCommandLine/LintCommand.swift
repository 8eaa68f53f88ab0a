import ArgumentParser
import CORSConfiguration
import Configuration
import Foundation

/// `cors lint FILE [--profile P] [--json]`: validates a policy file with the library's own
/// validation and prints every finding — severity, code, key path, message and fix.
///
/// Exit status: 0 when there is no error (warnings only, or clean), 1 when there is any error,
/// 2 when the file cannot be read or parsed, or lacks the profile (one line on stderr).
struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a CORS policy file and print every finding with its fix.",
        discussion: """
            FILE holds one policy ({"allowOrigins": [...], ...}) or named profiles \
            ({"profiles": {"development": {...}, "production": {...}}}). The profile is --profile, \
            else $CORS_PROFILE, else production; the production profile is checked more strictly.

            Exit status: 0 no errors (warnings allowed), 1 errors, 2 unreadable file, invalid JSON \
            or unknown profile.
            """
    )

    @Argument(help: "The policy file (JSON).")
    var file: String

    @Option(help: "The profile to check (default: $CORS_PROFILE, else production).")
    var profile: String?

    @Flag(help: "Print one JSON document: {\"findings\": [{\"severity\", \"code\", \"path\", \"message\", \"fix\"}]}.")
    var json = false

    @Option(help: "Also write the findings as SARIF 2.1.0 to this file, each at its line and column in the policy file.")
    var sarif: String?

    @Flag(
        name: .customLong("env"),
        help: "Apply the CORS_* environment variables on top of the file first, as CORSPolicy(config:) does.")
    var applyEnvironment = false

    func run() async throws {
        let report = try report(environment: ProcessInfo.processInfo.environment)
        StandardOutput.write(report.output)
        if let sarif {
            let document = LintSARIF.log(file: file, findings: report.findings, toolVersion: ToolVersion.package).rendered() + "\n"
            do {
                try Data(document.utf8).write(to: URL(fileURLWithPath: sarif))
            } catch {
                throw ToolFailure("cannot write the SARIF file \(sarif): \(error.localizedDescription)")
            }
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// The report for this invocation, with `environment` as the process environment.
    ///
    /// - Throws: ``ToolFailure`` (exit 2) when the file cannot be read or parsed, or lacks the
    ///   profile.
    func report(environment: [String: String]) throws(ToolFailure) -> LintReport {
        let profileName = CORSPolicyFile.selectedProfileName(profile, environment: environment)
        var policyProfile: CORSPolicyProfile
        do {
            policyProfile = try CORSPolicyFile(contentsOfFile: file).profile(profileName)
        } catch {
            throw ToolFailure(error.description)
        }
        if applyEnvironment {
            policyProfile.applyOverrides(
                from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
        }
        return LintReport(file: file, profile: profileName, findings: policyProfile.findings, json: json)
    }
}
