import ArgumentParser
import CORS
import Foundation

/// `cors export POLICY.json --to STACK`: the policy as a complete configuration of another
/// stack, enforcing it exactly where the stack can, with a warning on stderr for each part it
/// cannot express.
///
/// Exit status: 0 exported, 2 bad usage, unreadable file or invalid policy (one line on stderr,
/// then the policy's problems as `cors lint` lists them).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print a policy as another stack's configuration (nginx, Caddy, Express, Flask, …).",
        usage: "cors export <file> --to <stack> [<options>]",
        discussion: """
            Server-level stacks (nginx, caddy, apache) get a complete proxy in front of --upstream, \
            listening on --listen; application stacks get the code that installs the policy. The \
            header comment says which test runs the export on the real server ("verified") or \
            "unverified". What the stack cannot express is printed on stderr.

            Stacks: \(ServerStack.names)
            """
    )

    @Argument(help: "The policy file (JSON), as for `cors lint`.")
    var file: String

    @Option(help: "The profile to export (default: $CORS_PROFILE, else production).")
    var profile: String?

    @Option(name: .customLong("to"), help: "The stack: \(ServerStack.names).")
    var stackName: String

    @Option(help: "The upstream a server-level stack proxies to.")
    var upstream = "http://127.0.0.1:8000"

    @Option(help: "HOST:PORT a server-level stack listens on.")
    var listen = "127.0.0.1:8080"

    @Flag(help: "Print one JSON document: {\"stack\", \"config\", \"warnings\", \"verified\"}.")
    var json = false

    func run() async throws {
        let export = try makeExport()
        if json {
            let document: [String: Any] = [
                "stack": export.stack.rawValue, "config": export.configuration, "warnings": export.warnings,
                "verified": export.verification ?? NSNull(),
            ]
            let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
            StandardOutput.write(String(decoding: data, as: UTF8.self))
        } else {
            for warning in export.warnings { StandardError.write("cors export: warning: \(warning)") }
            FileHandle.standardOutput.write(Data(export.configuration.utf8))
        }
    }

    /// The export for this invocation.
    ///
    /// - Throws: ``ToolFailure`` (exit 2) for an unknown stack, a malformed --listen or
    ///   --upstream, an unreadable file, or an invalid policy (with every problem listed).
    func makeExport() throws -> StackExport {
        guard let stack = ServerStack(rawValue: stackName.lowercased()) else {
            throw ToolFailure("unknown stack '\(stackName)' for --to; one of \(ServerStack.names)")
        }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (1...65535).contains(port), colon != listen.startIndex
        else { throw ToolFailure("--listen must be HOST:PORT, such as 127.0.0.1:8080, not '\(listen)'") }
        guard upstream.hasPrefix("http://") || upstream.hasPrefix("https://"),
            URL(string: upstream)?.host?.isEmpty == false
        else { throw ToolFailure("--upstream must be an http:// or https:// URL, not '\(upstream)'") }
        let loaded = try PolicySource.load(path: file, profile: profile)
        guard let policy = loaded.policy else {
            let problems = loaded.findings.joined(separator: "\n")
            throw ToolFailure("\(loaded.name) is not a valid policy; nothing exported:\n\(problems)")
        }
        let export = stack.dialect.export(
            PolicyExportModel(policy: policy), endpoints: ExportEndpoints(listen: listen, upstream: upstream))
        guard !export.configuration.isEmpty else { throw ToolFailure("no export for \(stack.rawValue) is available") }
        return export
    }
}
