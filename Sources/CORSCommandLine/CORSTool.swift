public import ArgumentParser

/// The `cors` command: explains, audits and demonstrates CORS.
///
/// Exit status, for every subcommand: 0 success / allowed / clean, 1 blocked / findings /
/// lint errors, 2 bad usage, unreadable input or network failure (one line on stderr).
public struct CORSTool: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cors",
        abstract: "CORS done right: see why a browser blocks a request, audit an API, lint a policy.",
        version: ToolVersion.description,
        subcommands: [DemoCommand.self, CheckCommand.self, ScanCommand.self, LintCommand.self, ExportCommand.self, ExplainCommand.self, ProxyCommand.self]
    )

    public init() {}

    /// Runs the tool with `arguments` and exits with the documented status. Argument errors
    /// exit 2 (not ArgumentParser's default 64), so scripts see one convention.
    public static func runAndExit(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Self.exit()
        } catch let failure as ToolFailure {
            StandardError.write("cors: \(failure.description)")
            Self.exit(withError: ExitCode(2))
        } catch let exitCode as ExitCode {
            Self.exit(withError: exitCode)
        } catch {
            if exitCode(for: error) == .success {
                Self.exit(withError: error)  // --help, --version
            }
            // Usage errors: ArgumentParser's message, then the documented status 2.
            let message = fullMessage(for: error)
            StandardError.write(message.isEmpty ? "cors: \(error)" : message)
            Self.exit(withError: ExitCode(2))
        }
    }
}

/// One-line failures that the tool reports on stderr and exits 2 for.
public struct ToolFailure: Error, CustomStringConvertible, Sendable {
    /// The one-line message, naming the problem.
    public var description: String

    /// Creates a failure with its one-line message.
    public init(_ description: String) { self.description = description }
}
