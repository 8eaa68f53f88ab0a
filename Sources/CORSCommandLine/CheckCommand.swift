import ArgumentParser
import CORSBrowserModel
import HTTPTypes

/// `cors check URL --origin ORIGIN [--method M] [--header 'Name: value']...
/// [--credentials include|omit|same-origin] [--json] [--timeout S]`: sends exactly what a
/// browser would send for a page's `fetch` and applies the browser's CORS rules to the live
/// answers — unlike curl or Postman, which skip CORS entirely.
///
/// Exit status: 0 allowed, 1 blocked, 2 bad usage or a network failure (one line on stderr:
/// connection refused, DNS failure, TLS failure, timeout).
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "See exactly why a browser lets a page read a URL, or blocks it.",
        usage: "cors check <url> --origin <origin> [-H 'Name: value' ...] [<options>]",
        discussion: """
            Sends what Chrome sends for fetch(URL, {method, headers, credentials}) from a page on \
            ORIGIN: the preflight when one is needed, then the request, following redirects like \
            the browser. Prints every request and response, the rule that failed, the console \
            message Chrome shows, and the fix: first as a line of the server stack's own \
            configuration (detected from Server, X-Powered-By, Via, error pages and the shape of \
            the answers, or named with --stack), then the header, a swift-cors CORSPolicy setting \
            and FastAPI's CORSMiddleware. No cookie is sent or stored.

            With --websocket (implied by a ws:// or wss:// URL), sends the upgrade a browser sends \
            for new WebSocket(URL) from a page on ORIGIN instead, and explains the answer: accepted \
            (101), or refused and why (an origin check that does not trust ORIGIN, authentication, \
            no such route). WebSockets are not subject to CORS; only the server's Origin check \
            protects them. -H may add Cookie and Sec-WebSocket-Protocol, the only fields a page's \
            socket carries.

            Exit status: 0 allowed, 1 blocked, 2 bad usage or network failure.
            """
    )

    @Argument(help: "The URL the page's script fetches (http or https).")
    var url: String

    @Option(help: "The origin of the page making the request, e.g. http://localhost:5173 (or null).")
    var origin: String

    @Option(help: "The method, as the script writes it.")
    var method: String = "GET"

    @Option(
        name: [.customShort("H"), .customLong("header")],
        help: ArgumentHelp("A header the script sets, as 'Name: value' (repeatable).", valueName: "Name: value"))
    var headers: [String] = []

    @Option(help: "The credentials mode: include, omit or same-origin.")
    var credentials: String = "same-origin"

    @Option(help: "The browser engine to report for: chromium, firefox, webkit or all (a table, and where they differ).")
    var browser: String = "chromium"

    @Option(help: ArgumentHelp("The server stack, instead of detecting it: \(ServerStack.names).", valueName: "name"))
    var stack: String?

    @Flag(help: "List every stack's fix, not only the detected stack's.")
    var verbose = false

    @Flag(help: "Open a WebSocket instead of fetch: send new WebSocket(URL)'s upgrade from ORIGIN and explain the answer.")
    var websocket = false

    @Flag(help: "Print one JSON document instead of the trace.")
    var json = false

    @Option(help: "Seconds to wait for each response.")
    var timeout: Double = 10

    func run() async throws {
        let result = await execute(style: .forStandardOutput())
        if let errorLine = result.errorLine {
            throw ToolFailure(errorLine)
        }
        StandardOutput.write(result.output)
        if result.exitCode != 0 {
            throw ExitCode(result.exitCode)
        }
    }

    /// Runs the check and renders it, without printing or exiting: what ``run()`` does, for
    /// tests and other callers.
    ///
    /// - Parameters:
    ///   - exchanger: how requests reach the server; `nil` for the network, with ``timeout``.
    ///   - style: colours for the text output.
    func execute(using exchanger: (any HTTPExchanger)? = nil, style: TerminalStyle = .plain) async -> CheckCommandResult {
        if isWebSocket {
            return await executeWebSocket(using: exchanger, style: style)
        }
        let request: PageRequest
        let timeout: Duration
        let browsers: [BrowserEngine]
        let stackOverride: ServerStack?
        do {
            request = try pageRequest()
            timeout = try validatedTimeout()
            browsers = try BrowserSelection.parse(browser)
            stackOverride = try validatedStack()
        } catch {
            return CheckCommandResult(errorLine: error.description)
        }
        var report: CheckReport
        let verbose = verbose
        do {
            if let exchanger {
                report = try await CheckRunner(exchanger: exchanger, stackOverride: stackOverride, verbose: verbose).run(request)
            } else {
                report = try await LiveHTTPClient.withClient(timeout: timeout) { client in
                    try await CheckRunner(exchanger: client, stackOverride: stackOverride, verbose: verbose).run(request)
                }
            }
        } catch let error as HTTPExchangeError {
            return CheckCommandResult(errorLine: error.description)
        } catch {
            return CheckCommandResult(errorLine: "network error: \(error)".split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        report.browsers = browsers
        report.engines = report.engineChecks(browsers)
        let output = json ? CheckJSONRenderer.render(report) : CheckTextRenderer(style: style).render(report)
        return CheckCommandResult(report: report, output: output, errorLine: nil, exitCode: report.exitCode)
    }

    /// Whether the check opens a WebSocket: `--websocket`, or a `ws:` or `wss:` URL.
    var isWebSocket: Bool {
        let scheme = url.lowercased()
        return websocket || scheme.hasPrefix("ws://") || scheme.hasPrefix("wss://")
    }

    /// `--websocket`: the upgrade of `new WebSocket(url)` from a page on `origin`.
    func executeWebSocket(using exchanger: (any HTTPExchanger)?, style: TerminalStyle) async -> CheckCommandResult {
        let request: WebSocketCheckRequest
        let timeout: Duration
        let stackOverride: ServerStack?
        do throws(ToolFailure) {
            guard method.uppercased() == "GET" else {
                throw ToolFailure("invalid --method '\(Self.printable(method))' with --websocket: a WebSocket upgrade is always GET")
            }
            guard credentials == "same-origin" else {
                throw ToolFailure(
                    "--credentials does not apply to --websocket: a browser always sends the site's cookies with an upgrade (give them with -H 'Cookie: name=value')")
            }
            guard browser == "chromium" else {
                throw ToolFailure("--browser does not apply to --websocket: every engine sends the same upgrade and none applies CORS to it")
            }
            var fields: [HTTPField] = []
            for header in headers { fields.append(try Self.parseHeader(header)) }
            request = try WebSocketCheckRequest(url: url, origin: origin, headers: fields)
            timeout = try validatedTimeout()
            stackOverride = try validatedStack()
        } catch {
            return CheckCommandResult(errorLine: error.description)
        }
        let runner = WebSocketCheckRunner(
            exchanger: exchanger ?? RawHTTPExchanger(timeout: timeout), stackOverride: stackOverride, verbose: verbose)
        let report: WebSocketCheckReport
        do {
            report = try await runner.run(request)
        } catch {
            return CheckCommandResult(errorLine: error.description)
        }
        let output = json ? WebSocketCheckRendering.json(report).rendered() : WebSocketCheckRendering.text(report, style: style)
        return CheckCommandResult(webSocketReport: report, output: output, errorLine: nil, exitCode: report.exitCode)
    }

    /// The request the page's script makes, from the arguments.
    ///
    /// - Throws: ``ToolFailure`` naming the invalid argument.
    func pageRequest() throws(ToolFailure) -> PageRequest {
        guard let mode = CredentialsMode(rawValue: credentials) else {
            throw ToolFailure("invalid --credentials '\(credentials)': use include, omit or same-origin")
        }
        var fields = HTTPFields()
        for header in headers {
            fields.append(try Self.parseHeader(header))
        }
        do {
            return try PageRequest(url: url, origin: origin, method: method, headerFields: fields, credentials: mode)
        } catch {
            switch error {
            case .invalidURL: throw ToolFailure("invalid URL: \(error.description)")
            case .invalidOrigin: throw ToolFailure("invalid --origin: \(error.description)")
            case .invalidMethod, .forbiddenMethod: throw ToolFailure("invalid --method: \(error.description)")
            }
        }
    }

    /// Parses `Name: value`.
    static func parseHeader(_ text: String) throws(ToolFailure) -> HTTPField {
        guard let colon = text.firstIndex(of: ":") else {
            throw ToolFailure("invalid --header '\(Self.printable(text))': write it as 'Name: value'")
        }
        let name = String(text[..<colon]).trimmingHTTPWhitespace()
        let value = String(text[text.index(after: colon)...]).trimmingHTTPWhitespace()
        guard let fieldName = HTTPField.Name(name) else {
            throw ToolFailure("invalid --header '\(Self.printable(text))': '\(Self.printable(name))' is not a header name")
        }
        guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw ToolFailure("invalid --header '\(Self.printable(text))': the value contains CR, LF or NUL")
        }
        return HTTPField(name: fieldName, value: value)
    }

    /// The stack `--stack` names, if any.
    func validatedStack() throws(ToolFailure) -> ServerStack? {
        guard let stack else { return nil }
        guard let known = ServerStack(rawValue: stack.lowercased()) else {
            throw ToolFailure("invalid --stack '\(Self.printable(stack))': use \(ServerStack.names)")
        }
        return known
    }

    func validatedTimeout() throws(ToolFailure) -> Duration {
        guard timeout.isFinite, timeout > 0, timeout <= 3600 else {
            throw ToolFailure("invalid --timeout \(timeout): use a number of seconds above 0 and at most 3600")
        }
        return .milliseconds(max(1, Int64((timeout * 1000).rounded())))
    }

    /// `text` on one line, control characters escaped.
    private static func printable(_ text: String) -> String {
        String(
            text.unicodeScalars.map { scalar -> String in
                scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }.joined())
    }
}

/// What one `cors check` invocation produced.
struct CheckCommandResult: Sendable {
    /// The report, unless the arguments were invalid or the network failed.
    var report: CheckReport?
    /// The `--websocket` report, unless the arguments were invalid or the network failed.
    var webSocketReport: WebSocketCheckReport?
    /// What goes to standard output: the text trace or the JSON document.
    var output: String = ""
    /// The one line for standard error (after `cors: `), when the status is 2.
    var errorLine: String?
    /// 0 allowed (or the socket accepted), 1 blocked (or refused), 2 bad usage or network failure.
    var exitCode: Int32 = 2
}
