import ArgumentParser
import AsyncHTTPClient
import CORS
import CORSObservability
import Logging
import ServiceLifecycle

extension HostHeaderMode: ExpressibleByArgument {}

/// `cors proxy`: the page and the API under one origin (no CORS at all), or a validated policy
/// in front of any backend.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Put a page and an API under one origin, or a CORS policy in front of any backend.",
        usage: "cors proxy --route <prefix=url> ... [<options>]\n       cors proxy --policy <file> --upstream <url> [<options>]",
        discussion: """
            Same-origin mode: cors proxy --route /=http://localhost:5173 --route /api=http://127.0.0.1:8000 \
            [--strip-prefix /api]. The longest matching prefix wins; bodies stream both ways; WebSocket \
            upgrades are tunnelled; redirects and cookies that name the upstream are rewritten to the proxy's origin.

            Policy mode: cors proxy --policy policy.json [--profile P] --upstream http://127.0.0.1:8000. The \
            proxy answers preflights with the same engine as the adapters and puts the policy's CORS headers \
            on every response (the upstream's errors, 502 when it is down and 504 on timeout included); the \
            upstream's own Access-Control-* headers are removed, or with --keep-upstream-cors kept and compared. \
            SIGHUP reloads the policy.

            Report-only mode: add --report-only to policy mode. Every request, preflights included, goes to the \
            upstream and its answer comes back unchanged; each request the policy would answer differently \
            (would-deny, would-allow, would-change-header) is logged on stderr and counted in \
            cors_report_only_differences_total{difference,origin}.

            Only the configured upstreams are reachable: a request for another host is refused with 400. It \
            listens on loopback unless --listen names another address. SIGTERM or SIGINT: in-flight requests finish.
            """
    )

    @Option(help: "HOST:PORT to listen on.")
    var listen = "127.0.0.1:3000"

    @Option(name: .customLong("route"), help: "PREFIX=URL: send requests under PREFIX to URL (repeatable).")
    var routes: [String] = []

    @Option(name: .customLong("strip-prefix"), help: "Remove this route prefix before forwarding (repeatable).")
    var stripPrefixes: [String] = []

    @Option(help: "The backend, in policy mode: the same as --route /=URL.")
    var upstream: String?

    @Option(help: "A policy file (JSON): policy mode.")
    var policy: String?

    @Option(help: "The profile to use from the policy file (default: $CORS_PROFILE, else production).")
    var profile: String?

    @Flag(help: "Keep the upstream's own Access-Control-* headers and let it answer preflights; warn once per disagreement with the policy.")
    var keepUpstreamCors = false

    @Flag(help: "Report-only mode: forward everything, preflights included, and return the upstream's answers unchanged; log and count each request the policy would answer differently.")
    var reportOnly = false

    @Option(help: "In report-only mode, how many distinct origins get their own metric series (later ones count as 'other').")
    var reportOnlyOriginCap = 100

    @Option(help: "The Host header sent upstream: passthrough (the browser's) or upstream (the upstream's own).")
    var hostHeader: HostHeaderMode = .passthrough

    @Option(help: "The largest request head accepted, in bytes.")
    var maxHeaderBytes = 32 * 1024

    @Option(help: "Seconds a connection may stay idle before it is closed.")
    var idleTimeout: Double = 60

    @Option(help: "Seconds the upstream may take to answer with a response head (then 504).")
    var upstreamTimeout: Double = 30

    @Flag(help: "Print the start-up report as one JSON document: {\"listen\", \"mode\", \"routes\", \"hostHeader\", \"policy\", …, \"productionEquivalent\"}.")
    var json = false

    func validate() throws {
        if routes.isEmpty && upstream == nil {
            throw ValidationError("give --upstream URL (policy mode) or at least one --route PREFIX=URL.")
        }
        if keepUpstreamCors && policy == nil {
            throw ValidationError("--keep-upstream-cors compares the upstream's CORS headers with a policy; give --policy FILE.")
        }
        if reportOnly && policy == nil {
            throw ValidationError("--report-only decides with a policy without enforcing it; give --policy FILE.")
        }
        if reportOnly && keepUpstreamCors {
            throw ValidationError("--report-only already keeps the upstream's CORS headers and reports every difference; drop --keep-upstream-cors.")
        }
        if !(0...10_000).contains(reportOnlyOriginCap) {
            throw ValidationError("--report-only-origin-cap must be from 0 to 10000, not \(reportOnlyOriginCap).")
        }
        if profile != nil && policy == nil {
            throw ValidationError("--profile selects a profile of --policy FILE; give --policy.")
        }
        if !(1024...(1 << 20)).contains(maxHeaderBytes) {
            throw ValidationError("--max-header-bytes must be from 1024 to 1048576, not \(maxHeaderBytes).")
        }
        for (name, value) in [("--idle-timeout", idleTimeout), ("--upstream-timeout", upstreamTimeout)]
        where !(value > 0 && value <= 86_400) {
            throw ValidationError("\(name) must be a number of seconds above 0 and at most 86400, not \(value).")
        }
    }

    /// `--listen` split into host and port.
    static func parseListen(_ listen: String) throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), colon != listen.startIndex,
            let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port)
        else { throw ToolFailure("--listen must be HOST:PORT, such as 127.0.0.1:3000, not '\(listen)'") }
        let host = listen[..<colon].trimmingCharacters(in: .init(charactersIn: "[]"))
        return (host, port)
    }

    /// The settings from the arguments, without the policy.
    func makeSettings() throws -> ProxySettings {
        let (host, port) = try Self.parseListen(listen)
        var arguments = routes
        if let upstream {
            arguments.append("/=\(upstream)")
        }
        let strips = Set(stripPrefixes.map { $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        let parsed = try arguments.map { argument in
            let route = try ProxyRoute(parsing: argument)
            return try ProxyRoute(prefix: route.prefix, upstream: route.upstream, stripsPrefix: strips.contains(route.prefix))
        }
        for prefix in strips where !parsed.contains(where: { $0.prefix == prefix }) {
            throw ToolFailure("--strip-prefix \(prefix) names no route; the prefixes are \(parsed.map(\.prefix).joined(separator: ", "))")
        }
        var settings = ProxySettings(listenHost: host, listenPort: port, routes: try ProxyRouteTable(parsed))
        settings.keepsUpstreamCORS = keepUpstreamCors
        settings.hostMode = hostHeader
        settings.maximumHeaderBytes = maxHeaderBytes
        settings.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        settings.upstreamTimeout = .milliseconds(Int64(upstreamTimeout * 1000))
        return settings
    }

    static var logger: Logger {
        var logger = Logger(label: "cors.proxy")
        logger.logLevel = .warning
        return logger
    }

    func run() async throws {
        var settings = try makeSettings()
        var loaded: PolicySource.Loaded?
        var store: CORSPolicyStore?
        if let policy {
            let policyFile = try PolicySource.load(path: policy, profile: profile)
            guard let valid = policyFile.policy else {
                StandardError.write("cors proxy: \(policyFile.name) is invalid; nothing is served:")
                for finding in policyFile.findings { StandardError.write("  \(finding)") }
                throw ExitCode(1)
            }
            loaded = policyFile
            let policyStore = CORSPolicyStore(CORSPolicyTable(valid))
            store = policyStore
            settings.policy = .live(policyStore)
            if reportOnly {
                settings.reportOnly = ProxyReportOnly(
                    recorder: CORSReportOnlyRecorder(originCardinalityCap: reportOnlyOriginCap),
                    logger: ProxyReportOnly.standardErrorLogger())
            }
        }
        if !ProxySettings.isLoopback(settings.listenHost) {
            StandardError.write(
                "cors proxy: warning: listening on \(listen), not on loopback: every machine that can reach this address can use the routes below.")
        }
        let comparison = keepUpstreamCors ? UpstreamCORSComparison(say: { StandardError.write($0) }) : nil
        let report = ProxyStartupReport(
            settings: settings, port: settings.listenPort, policyName: loaded?.name, policy: loaded?.policy,
            findings: loaded?.findings ?? [], listen: listen)
        let json = self.json
        let client = ProxyServer.makeClient(settings)
        let logger = Self.logger
        let app = ProxyServer.application(settings: settings, client: client, comparison: comparison, logger: logger) { port in
            var report = report
            report.port = port
            if json {
                StandardOutput.write(report.json().rendered())
            } else {
                for line in report.lines() { StandardOutput.write(line) }
            }
        }
        let (path, profile) = (policy, self.profile)
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                if let store {
                    tasks.addTask {
                        await DemoCommand.reloadOnHangup(store: store, path: path, profile: profile) { line in
                            StandardError.write("cors proxy: \(line)")
                        }
                    }
                }
                let group = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
                tasks.addTask { try await group.run() }
                try await tasks.next()
                tasks.cancelAll()
            }
        } catch {
            try? await client.shutdown()
            throw ToolFailure("cannot serve on \(listen): \(error)")
        }
        try await client.shutdown()
    }
}
