import ArgumentParser

/// `cors scan` (not implemented yet).
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scan", abstract: "Not implemented yet.")

    func run() async throws {
        throw ToolFailure("cors scan is not implemented yet")
    }
}
