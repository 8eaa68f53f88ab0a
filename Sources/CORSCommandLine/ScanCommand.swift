import ArgumentParser
import Foundation

/// `cors scan`: audits live APIs for CORS misconfigurations, judging like a browser.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find the CORS misconfigurations of live APIs before an attacker does.",
        usage: "cors scan <url> ... [--trusted-origin <origin> ...] [<options>]",
        discussion: """
            Sends probe origins derived from each target's host and registrable domain and from the \
            origins the API trusts (--trusted-origin, or discovered), each with a GET and a preflight \
            for a method the route has, plus the trusted origin's error responses, a CR LF and a \
            shared-cache test, and judges the answers as a browser does. One finding per root cause, \
            rated on two axes: exposure (what an attacker's page can read; high only when an untrusted \
            origin gets a credentialed read AND cookies are sent cross-site or Authorization is allowed) \
            and breakage (what blocks your own frontend).

            Only on routes you name, because they open a socket and really submit a form: \
            --websocket PATH tries a WebSocket upgrade from an origin nobody trusts \
            (websocket-origin when it gets 101), and --state-changing METHOD:PATH sends the form \
            a page on another site can submit (csrf-unprotected when it reaches the route, not \
            403); --cookie sends a session along, as the victim's browser would.

            Exit status: 0 nothing at or above --fail-on, 1 findings, 2 bad usage or unreachable target.
            """
    )

    @Argument(help: "URLs to scan (http or https).")
    var urls: [String] = []

    @Option(name: .customLong("trusted-origin"), help: "An origin the API really trusts (repeatable), e.g. https://app.example.com.")
    var trustedOrigins: [String] = []

    @Option(help: "A file with one URL per line (# comments and blank lines ignored).")
    var input: String?

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @Option(help: "Also write the results as SARIF 2.1.0 to this file.")
    var sarif: String?

    @Option(
        help: ArgumentHelp(
            "Exit 1 for a finding at or above these severities: LEVEL for both axes, or AXIS:LEVEL,… (exposure:high,breakage:medium). Levels: high, medium, low, info.",
            valueName: "thresholds"))
    var failOn: ScanFailPolicy = ScanFailPolicy(exposure: .medium, breakage: .medium)

    @Option(help: "How many targets are scanned at once.")
    var concurrency: Int = 4

    @Option(help: "At most this many requests per second, over all targets.")
    var rate: Double = 50

    @Option(help: "Seconds each request may take.")
    var timeout: Double = 10

    @Option(name: .customLong("max-requests"), help: "At most this many requests per target.")
    var maxRequests: Int = 200

    @Option(help: "HOST:PORT:ADDRESS — connect to ADDRESS for HOST:PORT while sending HOST, as curl does (repeatable).")
    var resolve: [String] = []

    @Option(
        help: ArgumentHelp(
            "A WebSocket endpoint of each target to try an upgrade on from an untrusted origin (repeatable), e.g. /ws.",
            valueName: "path"))
    var websocket: [String] = []

    @Option(
        name: .customLong("state-changing"),
        help: ArgumentHelp(
            "A state-changing route of each target to send a cross-site form to (repeatable), e.g. POST:/transfer. The route runs if it is unprotected.",
            valueName: "METHOD:PATH"))
    var stateChanging: [StateChangingRoute] = []

    @Option(help: ArgumentHelp("A Cookie header to send with --websocket and --state-changing probes, as a logged-in victim's browser would, e.g. 'session=…'.", valueName: "cookie"))
    var cookie: String?

    /// The routes the guard probes go to.
    var routes: ScanRoutes {
        ScanRoutes(webSocketPaths: websocket, stateChanging: stateChanging, cookie: cookie)
    }

    func validate() throws {
        guard concurrency >= 1, concurrency <= 64 else { throw ValidationError("--concurrency must be from 1 to 64.") }
        guard rate > 0 else { throw ValidationError("--rate must be positive.") }
        guard timeout > 0, timeout <= 300 else { throw ValidationError("--timeout must be from 0 to 300 seconds.") }
        guard maxRequests >= 10 + routes.maximumRequests else {
            throw ValidationError("--max-requests must be at least 10, plus 2 per --websocket and 1 per --state-changing.")
        }
        for path in websocket where !ScanRoutes.isPath(path) {
            throw ValidationError("--websocket \(path) is not a path (it starts with /, without spaces).")
        }
        if let cookie, cookie.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ValidationError("--cookie contains a control character.")
        }
        if cookie != nil && routes.isEmpty {
            throw ValidationError("--cookie is sent only by the --websocket and --state-changing probes: name a route.")
        }
        if urls.isEmpty && input == nil { throw ValidationError("Give at least one URL, or --input FILE.") }
    }

    func run() async throws {
        let targets = try collectTargets()
        let overrides = try dnsOverrides(for: targets)
        for origin in trustedOrigins where TargetScanner.base(origin) == nil {
            throw ToolFailure("--trusted-origin \(origin) is not an origin (scheme://host[:port])")
        }
        let token = String((0..<5).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        let throttle = RequestThrottle(rate: rate)
        // Progress goes to stderr, so it never mixes with --json on stdout.
        let showsProgress = targets.count > 1 && isatty(STDERR_FILENO) != 0
        // Judging needs only the heads: a body is never read, so a server that drips or never
        // ends its bodies costs a scan nothing.
        let reports = try await LiveHTTPClient.withClient(
            timeout: .milliseconds(Int64(timeout * 1000)), bodyLimit: 0, dnsOverride: overrides
        ) { client in
            let scanner = TargetScanner(
                exchanger: client, throttle: throttle, trustedOrigins: trustedOrigins, maximumRequests: maxRequests,
                generator: ProbeGenerator(token: token),
                guardProbes: GuardProbes(
                    routes: routes, exchanger: RawHTTPExchanger(timeout: .milliseconds(Int64(timeout * 1000)), dnsOverride: overrides),
                    throttle: throttle, token: token))
            return await Self.scanAll(targets, scanner: scanner, concurrency: concurrency, showsProgress: showsProgress)
        }

        if json {
            StandardOutput.write(ScanRendering.json(reports).rendered())
        } else {
            StandardOutput.write(ScanRendering.text(reports, style: .forStandardOutput()))
        }
        if let sarif {
            let document = ScanRendering.sarif(reports, toolVersion: ToolVersion.package).rendered() + "\n"
            do {
                try Data(document.utf8).write(to: URL(fileURLWithPath: sarif))
            } catch {
                throw ToolFailure("cannot write the SARIF file \(sarif): \(error.localizedDescription)")
            }
        }
        let unreachable = reports.filter { $0.failure != nil }
        for report in unreachable {
            StandardError.write("cors: cannot reach \(report.url): \(report.failure ?? "")")
        }
        if !unreachable.isEmpty { throw ExitCode(2) }
        if reports.flatMap(\.findings).contains(where: failOn.fails) {
            throw ExitCode(1)
        }
    }

    /// Scans every target, at most `concurrency` at once, keeping the input order.
    static func scanAll(
        _ targets: [ScanTarget], scanner: TargetScanner, concurrency: Int, showsProgress: Bool
    ) async -> [TargetReport] {
        await withTaskGroup(of: (Int, TargetReport).self) { group in
            var results = [TargetReport?](repeating: nil, count: targets.count)
            var next = 0
            var done = 0
            func progress() {
                guard showsProgress else { return }
                let width = 30
                let filled = targets.isEmpty ? width : done * width / targets.count
                StandardError.write(
                    "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                        + "] \(done)/\(targets.count) targets", newline: done == targets.count)
            }
            while next < min(concurrency, targets.count) {
                let index = next
                group.addTask { (index, await scanner.scan(targets[index])) }
                next += 1
            }
            progress()
            while let (index, report) = await group.next() {
                results[index] = report
                done += 1
                progress()
                if next < targets.count {
                    let index = next
                    group.addTask { (index, await scanner.scan(targets[index])) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }

    private func collectTargets() throws -> [ScanTarget] {
        var texts = urls
        if let input {
            guard let data = FileManager.default.contents(atPath: input) else {
                throw ToolFailure("cannot read --input file \(input)")
            }
            texts += String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        guard !texts.isEmpty else { throw ToolFailure("no URL to scan (the --input file is empty)") }
        return try texts.map { text in
            guard let target = ScanTarget(text) else {
                throw ToolFailure("\(text) is not an http or https URL")
            }
            return target
        }
    }

    /// `--resolve HOST:PORT:ADDRESS` as a host → address override. The port must be the one the
    /// URL uses (as with curl); an entry that matches no target is an error, not silently ignored.
    private func dnsOverrides(for targets: [ScanTarget]) throws -> [String: String] {
        var overrides: [String: String] = [:]
        for entry in resolve {
            let parts = entry.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port), !parts[2].isEmpty
            else { throw ToolFailure("--resolve \(entry) is not HOST:PORT:ADDRESS") }
            let host = parts[0].lowercased()
            guard targets.contains(where: { $0.host == host && ($0.port ?? ($0.scheme == "https" ? 443 : 80)) == port }) else {
                throw ToolFailure("--resolve \(entry) matches no target URL (host \(host), port \(port))")
            }
            overrides[host] = parts[2]
        }
        return overrides
    }
}
