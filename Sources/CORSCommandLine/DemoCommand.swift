import ArgumentParser
import CORS
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `cors demo`: the tutorial's API and a page on a second origin that calls it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve the tutorial's API with CORS, and a page on a second origin that calls it.",
        usage: "cors demo [--port <port>] [--frontend-port <port>] [<options>]",
        discussion: """
            API on 127.0.0.1:PORT: GET /me, PUT /me, DELETE /me, GET /boom (throws: 500).

            Page on 127.0.0.1:FRONTEND-PORT: open http://localhost:FRONTEND-PORT in a browser.

            With an invalid --policy, every problem is printed with its fix and the exit status is 1.

            With --policy, SIGHUP reloads the file: a valid policy takes effect atomically; an \
            invalid one is refused whole, every problem is printed, and the old policy stays.

            With --json, the start-up report is one JSON document on standard output; reload \
            results go to standard error.
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

    @Flag(
        help: """
            Print the start-up report as one JSON document: {"framework", "policy", "valid", \
            "findings", "api", "frontend", "routes", "effectivePolicy"}.
            """)
    var json = false

    func validate() throws {
        for (name, value) in [("--port", port), ("--frontend-port", frontendPort)]
        where !(0...65535).contains(value) {
            throw ValidationError("\(name) must be a port number from 0 to 65535, not \(value).")
        }
    }

    /// The page's origin, as the browser sends it.
    var pageOrigin: String { "http://localhost:\(frontendPort)" }

    /// The tutorial's policy trusts `http://localhost:5173`; the demo page on another port
    /// must be trusted too, or every scenario of the page is blocked.
    static func tutorialPolicy(trustingPageOn pageOrigin: String) -> CORSPolicy {
        var settings = CORSPolicy.tutorial.settings
        guard !settings.allowOrigins.contains(pageOrigin) else { return .tutorial }
        settings.allowOrigins.append(pageOrigin)
        // The tutorial's settings plus a loopback origin stay valid; a failure is a bug.
        // swiftlint:disable:next force_try
        return try! settings.policy()
    }

    /// Whether `policy` lets the page's origin read responses of `path`.
    static func trusts(_ source: CORSPolicySource, origin: String, path: String = "/me") -> Bool {
        var fields = HTTPFields()
        fields[.origin] = origin
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: path, headerFields: fields)
        return source.engine(forPath: { path }).decide(request).isOriginTrusted
    }

    /// The warning printed, and shown on the page, when the policy does not trust the page.
    func untrustedPageWarning() -> String {
        "warning: the policy does not trust the demo page's origin \(pageOrigin), so the browser blocks every scenario; add \"\(pageOrigin)\" to allowOrigins, or pass --frontend-port with a port it trusts."
    }

    func run() async throws {
        var loaded = try PolicySource.load(path: policy, profile: profile)
        if policy == nil, frontendPort != 5173 {
            loaded.policy = Self.tutorialPolicy(trustingPageOn: pageOrigin)
        }
        if json {
            StandardOutput.write(startupReport(loaded).rendered())
        }
        guard let policy = loaded.policy else {
            if !json {
                StandardOutput.write("Policy \(loaded.name) is invalid:")
                for finding in loaded.findings { StandardOutput.write("  \(finding)") }
            }
            throw ExitCode(1)
        }
        let store = CORSPolicyStore(CORSPolicyTable(policy))
        if !json {
            printBanner(policy: policy, name: loaded.name, findings: loaded.findings)
        }
        if !Self.trusts(.live(store), origin: pageOrigin) {
            StandardError.write(untrustedPageWarning())
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                if self.policy != nil {
                    let (path, profile, json) = (self.policy, self.profile, self.json)
                    tasks.addTask {
                        await Self.reloadOnHangup(store: store, path: path, profile: profile) { line in
                            // With --json, standard output holds the start-up document only.
                            if json { StandardError.write(line) } else { StandardOutput.write(line) }
                        }
                    }
                }
                tasks.addTask { try await serve(source: .live(store)) }
                try await tasks.next()
                tasks.cancelAll()
            }
        } catch {
            // A port in use is the usual cause: name it in one line, not a stack of NIO errors.
            throw ToolFailure("cannot serve the demo on 127.0.0.1:\(port) / \(frontendPort): \(error)")
        }
    }

    /// Reloads the policy file on every SIGHUP until cancelled.
    static func reloadOnHangup(
        store: CORSPolicyStore, path: String?, profile: String?, say: @escaping @Sendable (String) -> Void
    ) async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            let result = store.reload {
                let loaded = try PolicySource.load(path: path, profile: profile)
                guard let policy = loaded.policy else { throw ReloadRefused(findings: loaded.findings) }
                return CORSPolicyTable(policy)
            }
            switch result {
            case .success:
                say("SIGHUP: reloaded \(path ?? "the policy"); the new policy is in force.")
            case .failure(let error as ReloadRefused):
                say("SIGHUP: reload refused, the previous policy stays in force:")
                for finding in error.findings { say("  \(finding)") }
            case .failure(let error):
                say("SIGHUP: reload refused, the previous policy stays in force: \(error)")
            }
        }
    }

    struct ReloadRefused: Error {
        var findings: [String]
    }

    private func serve(source: CORSPolicySource) async throws {
        let logger = Self.logger(level: .info)
        let quiet = Self.logger(level: .warning)
        let host = "127.0.0.1"
        let (apiPort, frontendPort) = (port, self.frontendPort)
        let page = DemoFrontend.Configuration(
            apiPort: apiPort, pageOrigin: pageOrigin, source: source, untrustedWarning: untrustedPageWarning())
        switch framework {
        case .hummingbird:
            let frontend = DemoFrontend.application(page, host: host, port: frontendPort, logger: quiet)
            let api = HummingbirdDemoServer.application(source: source, host: host, port: port, logger: logger)
            let group = ServiceGroup(
                services: [api, frontend], gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet)
            try await group.run()
        case .vapor:
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    let frontend = DemoFrontend.application(page, host: host, port: frontendPort, logger: quiet)
                    let group = ServiceGroup(
                        services: [frontend], gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet)
                    try await group.run()
                }
                tasks.addTask { try await runVaporDemoAPI(source: source, host: host, port: apiPort) }
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

    /// The routes the demo API serves.
    static let routes = [
        "GET /me", "PUT /me", "DELETE /me", "GET /boom", "GET /redirect", "POST /login", "GET /cookies", "POST /transfer",
        "GET /ws",
    ]

    /// What `--json` prints at start-up.
    func startupReport(_ loaded: PolicySource.Loaded) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("framework", .string(framework.rawValue)),
            ("policy", .string(loaded.name)),
            ("valid", .bool(loaded.policy != nil)),
            (
                "findings",
                .array(
                    loaded.structuredFindings.map { finding in
                        .object([
                            ("severity", .string(finding.severity.rawValue)), ("code", .string(finding.code.rawValue)),
                            ("path", .string(finding.path)), ("message", .string(finding.message)),
                            ("fix", .string(finding.fix)),
                        ])
                    })
            ),
        ]
        if let policy = loaded.policy {
            pairs += [
                ("api", .string("http://127.0.0.1:\(port)")),
                ("frontend", .string("http://localhost:\(frontendPort)")),
                ("routes", .strings(Self.routes)),
                ("effectivePolicy", Self.json(policy)),
            ]
        }
        return .object(pairs)
    }

    /// The policy in the policy file's own keys and order: every key, `null` for an unset number.
    static func json(_ policy: CORSPolicy) -> JSONValue {
        .object(
            CORSPolicySettings.keys.map { key in
                switch policy.settings[key] {
                case .list(let list): (key.stringValue, .strings(list))
                case .flag(let flag): (key.stringValue, .bool(flag))
                case .integer(let number): (key.stringValue, number.map { .number($0) } ?? .null)
                }
            })
    }

    private func printBanner(policy: CORSPolicy, name: String, findings: [String]) {
        func say(_ line: String) { StandardOutput.write(line) }
        say("swift-cors demo on \(framework == .vapor ? "Vapor" : "Hummingbird")")
        say("Policy \(name): valid\(findings.isEmpty ? ", no warnings" : ", \(findings.count) warning(s)")")
        for finding in findings { say("  \(finding)") }
        // Every setting that differs from its default (allowOrigins always), in the file's order.
        for key in CORSPolicySettings.keys {
            let value = policy.settings[key]
            guard value != key.defaultValue || key.stringValue == "allowOrigins" else { continue }
            let name = key.stringValue + ":"
            let label = name + String(repeating: " ", count: max(1, 21 - name.count))
            let shown: String
            switch value {
            case .list(let list): shown = list.joined(separator: ", ")
            case .flag(let flag): shown = String(flag)
            case .integer(let number): shown = number.map(String.init) ?? ""
            }
            say("  \(label)\(shown)")
        }
        if policy.maxAge == nil { say("  (no maxAge: browsers cache preflights for 5 s)") }
        say("API:      http://127.0.0.1:\(port)   \(Self.routes.prefix(4).joined(separator: " · ")) (and \(Self.routes.dropFirst(4).joined(separator: ", ")))")
        say("Frontend: http://localhost:\(frontendPort)   open it in a browser to watch CORS work")
        if self.policy == nil && frontendPort != 5173 {
            say("          the tutorial's policy trusts this page's origin too (\(pageOrigin), from --frontend-port)")
        }
        say("Try:      curl -i http://127.0.0.1:\(port)/me -H 'Origin: http://localhost:5173'")
    }
}
