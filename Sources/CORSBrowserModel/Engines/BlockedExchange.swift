public import HTTPTypes

/// A response the shared model blocked, with everything an engine needs to say so in its own
/// words: Chromium's failure, the request at the failing hop, and the response.
public struct BlockedExchange: Sendable {
    /// Which response failed.
    public enum Stage: String, Sendable, Hashable {
        /// The preflight (OPTIONS) response.
        case preflight
        /// A redirect response to the actual request.
        case redirect
        /// The final response to the actual request.
        case response
    }

    /// The failure as the shared model found it (Chromium's `CorsError`).
    public let failure: CORSFailure
    /// The request at the hop that failed.
    public let request: PageRequest
    /// Which response failed.
    public let stage: Stage
    /// The response that failed.
    public let response: HTTPResponse

    /// Creates a blocked exchange.
    public init(failure: CORSFailure, request: PageRequest, stage: Stage, response: HTTPResponse) {
        self.failure = failure
        self.request = request
        self.stage = stage
        self.response = response
    }

    /// The response's status code.
    var status: Int { response.status.code }

    /// Whether the response status is 200-299.
    var isOkStatus: Bool { (200...299).contains(status) }

    /// The `Access-Control-Allow-Origin` field lines, each as sent.
    var allowOriginLines: [String] {
        response.headerFields[values: .accessControlAllowOrigin]
    }

    /// A header value as the engines read it: lines joined with `", "`.
    func combined(_ name: HTTPField.Name) -> String? {
        response.headerFields.combinedValue(of: name)
    }

    /// The `Location` of a redirect, resolved against the request's URL when possible.
    var resolvedLocation: String {
        let location = combined(.location) ?? ""
        return WebURL(location, relativeTo: request.url)?.serialized ?? location
    }

    /// ``resolvedLocation`` without a user name and password.
    var resolvedLocationWithoutCredentials: String {
        let location = resolvedLocation
        guard let scheme = location.firstRange(of: "://"), let at = location[scheme.upperBound...].firstIndex(of: "@"),
            !location[scheme.upperBound..<at].contains("/")
        else { return location }
        return String(location[..<scheme.upperBound]) + location[location.index(after: at)...]
    }
}

/// What one engine reports for a blocked exchange.
public struct EngineReport: Sendable, Hashable {
    /// The engine.
    public let engine: BrowserEngine
    /// The catalogue entry of the reason the engine reports (the first line's message).
    public let message: EngineMessage
    /// The values filled into the message's placeholders.
    public let values: [ConsolePlaceholder: String]
    /// The console lines, exactly as the engine prints them, in order.
    public let consoleLines: [String]

    /// Creates a report.
    public init(engine: BrowserEngine, message: EngineMessage, values: [ConsolePlaceholder: String], consoleLines: [String]) {
        self.engine = engine
        self.message = message
        self.values = values
        self.consoleLines = consoleLines
    }

    /// The engine's name for the reason: Chromium's `CorsError`, Firefox's MDN page name,
    /// WebKit's message identifier.
    public var reasonName: String { message.id }

    /// The reason in the engine's words: Firefox's `(Reason: …)` text, WebKit's verbatim line,
    /// Chromium's message after "blocked by CORS policy: ".
    public var reasonText: String {
        message.reasonTemplate.render(values)
    }
}
