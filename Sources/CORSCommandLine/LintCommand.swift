import ArgumentParser

/// `cors lint` (not implemented yet).
struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lint", abstract: "Not implemented yet.")

    func run() async throws {
        throw ToolFailure("cors lint is not implemented yet")
    }
}
