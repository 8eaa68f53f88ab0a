@testable import CORSCommandLine
import Foundation

/// `cors check URL --origin … --method … -H … --credentials … --json`, run in-process against a
/// live server, and what its JSON document says.
struct CorsCheckRun: Sendable {
    let verdict: Verdict
    let consoleMessage: String?
    let exposedHeaders: [String]
    let exitCode: Int32
    /// The JSON document as printed.
    let output: String

    static func run(
        url: String, origin: String, method: String = "GET", headers: [(name: String, value: String)] = [],
        credentials: String = "omit"
    ) async throws -> CorsCheckRun {
        var arguments = [url, "--origin", origin, "--method", method, "--credentials", credentials, "--json"]
        for header in headers {
            arguments += ["--header", "\(header.name): \(header.value)"]
        }
        let command = try CheckCommand.parse(arguments)
        let result = await command.execute()
        if let errorLine = result.errorLine {
            throw DevToolsError(description: "cors check \(arguments.joined(separator: " ")) failed: \(errorLine)")
        }
        let document = try JSONValue.parse(result.output)
        let verdict: Verdict
        if document["verdict"]?.string == "allowed" {
            verdict = .allowed(status: document["actual"]?["response"]?["status"]?.int ?? -1)
        } else if let reason = document["reason"]?.string {
            verdict = .blocked(reason, document["failedParameter"]?.string)
        } else {
            verdict = .networkError(document["networkError"]?.string ?? "unknown")
        }
        return CorsCheckRun(
            verdict: verdict, consoleMessage: document["consoleMessage"]?.string,
            exposedHeaders: (document["exposedHeaders"]?.array ?? []).compactMap(\.string),
            exitCode: result.exitCode, output: result.output)
    }
}
