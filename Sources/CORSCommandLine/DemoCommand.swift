import ArgumentParser
import CORS
import Hummingbird
import Logging
import ServiceLifecycle

/// `cors demo`: the tutorial's API and a page on a second origin that calls it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve the tutorial's API with CORS, and a page on a second origin that calls it.",
        discussion: """
            API on 127.0.0.1:PORT: GET /me, PUT /me, DELETE /me, GET /boom (throws: 500).
            Page on 127.0.0.1:FRONTEND-PORT: open http://localhost:FRONTEND-PORT in a browser.
            With an invalid --policy, every problem is printed with its fix and the exit status is 1.
            """
    )

    enum Framework: String, ExpressibleByArgument, CaseIterable {
        case hummingbird, vapor
    }

    @Option(help: "Port of the API.")
    var port: Int = 8080

    @Option(help: "Port of the demo page (a second origin).")
    var frontendPort: Int = 5173

    @Option(help: "A policy file (JSON) to use instead of the tutorial's policy.")
    var policy: String?

    @Option(help: "The profile to use from the policy file (default: $CORS_PROFILE, else production).")
    var profile: String?

    @Option(help: "The framework serving the API: hummingbird or vapor.")
    var framework: Framework = .hummingbird

    func validate() throws {
        for (name, value) in [("--port", port), ("--frontend-port", frontendPort)]
        where !(0...65535).contains(value) {
            throw ValidationError("\(name) must be a port number from 0 to 65535, not \(value).")
        }
    }

    func run() async throws {
        let loaded = try PolicySource.load(path: policy, profile: profile)
        guard let policy = loaded.policy else {
            StandardOutput.write("Policy \(loaded.name) is invalid:")
            for finding in loaded.findings { StandardOutput.write("  \(finding)") }
            throw ExitCode(1)
        }
        printBanner(policy: policy, name: loaded.name, findings: loaded.findings)
        do {
            try await serve(policy: policy)
        } catch {
            // A port in use is the usual cause: name it in one line, not a stack of NIO errors.
            throw ToolFailure("cannot serve the demo on 127.0.0.1:\(port) / \(frontendPort): \(error)")
        }
    }

    private func serve(policy: CORSPolicy) async throws {
        let logger = Self.logger(level: .info)
        let quiet = Self.logger(level: .warning)
        let host = "127.0.0.1"
        let (apiPort, frontendPort) = (port, self.frontendPort)
        switch framework {
        case .hummingbird:
            let frontend = DemoFrontend.application(apiPort: apiPort, host: host, port: frontendPort, logger: quiet)
            let api = HummingbirdDemoServer.application(policy: policy, host: host, port: port, logger: logger)
            let group = ServiceGroup(
                services: [api, frontend], gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet)
            try await group.run()
        case .vapor:
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    let frontend = DemoFrontend.application(
                        apiPort: apiPort, host: host, port: frontendPort, logger: quiet)
                    let group = ServiceGroup(
                        services: [frontend], gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet)
                    try await group.run()
                }
                tasks.addTask { try await runVaporDemoAPI(policy: policy, host: host, port: apiPort) }
                try await tasks.next()
                tasks.cancelAll()
            }
        }
    }

    private static func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "cors.demo")
        logger.logLevel = level
        return logger
    }

    private func printBanner(policy: CORSPolicy, name: String, findings: [String]) {
        func say(_ line: String) { StandardOutput.write(line) }
        say("swift-cors demo on \(framework == .vapor ? "Vapor" : "Hummingbird")")
        say("Policy \(name): valid\(findings.isEmpty ? ", no warnings" : ", \(findings.count) warning(s)")")
        for finding in findings { say("  \(finding)") }
        say("  allowOrigins:        \(policy.allowOrigins.joined(separator: ", "))")
        if !policy.allowOriginPatterns.isEmpty {
            say("  allowOriginPatterns: \(policy.allowOriginPatterns.joined(separator: ", "))")
        }
        say("  allowCredentials:    \(policy.allowCredentials)")
        say("  allowMethods:        \(policy.allowMethods.joined(separator: ", "))")
        say("  allowHeaders:        \(policy.allowHeaders.joined(separator: ", "))")
        say("  exposeHeaders:       \(policy.exposeHeaders.joined(separator: ", "))")
        say("  maxAge:              \(policy.maxAge.map(String.init) ?? "not sent (browsers use 5 s)")")
        say("API:      http://127.0.0.1:\(port)   GET /me · PUT /me · DELETE /me · GET /boom")
        say("Frontend: http://localhost:\(frontendPort)   open it in a browser to watch CORS work")
        say("Try:      curl -i http://127.0.0.1:\(port)/me -H 'Origin: http://localhost:5173'")
    }
}
