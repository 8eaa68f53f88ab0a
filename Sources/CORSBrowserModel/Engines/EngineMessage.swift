/// One console message of one engine: its texts, and what it can mean.
public struct EngineMessage: Sendable, Hashable, Identifiable {
    /// The engine that prints it.
    public let engine: BrowserEngine
    /// The message's name: Chromium's `CorsError`, Firefox's MDN page name
    /// (`CORSMissingAllowOrigin`), or WebKit's identifier for the line (`originNotAllowed`).
    public let id: String
    /// The whole line, as printed; for Chromium every variant (fetch or XMLHttpRequest,
    /// redirected or not) is listed, the first being `fetch` without a redirect.
    public let templates: [ConsoleTemplate]
    /// The reason alone: Firefox's `(Reason: …)` text, WebKit's line, Chromium's text after
    /// "blocked by CORS policy: ".
    public let reasonTemplate: ConsoleTemplate
    /// The failures of the shared model (Chromium's reasons) this message can stand for.
    public let causes: [CORSFailure.Reason]
    /// When ``causes`` has several entries: what tells them apart.
    public let decidingProbe: String?
    /// Firefox's MDN page for the reason.
    public let documentationURL: String?
    /// What the line is: the reason a request was blocked, a line that follows one, or a
    /// warning about a request that went through.
    public let role: Role
    /// For a message that stands for no failure of the model (a network error, a warning):
    /// what it means.
    public let note: String?

    /// What a line is.
    public enum Role: String, Sendable, Hashable {
        /// The reason a request was blocked.
        case blocked
        /// A line an engine prints after the reason (Firefox's "CORS request did not succeed"
        /// after a preflight failure, WebKit's "Fetch API cannot load").
        case followUp = "follow-up"
        /// A warning: the request was not blocked.
        case warning
    }

    /// Creates a message.
    public init(
        engine: BrowserEngine, id: String, templates: [ConsoleTemplate], reason: ConsoleTemplate,
        causes: [CORSFailure.Reason], decidingProbe: String? = nil, documentationURL: String? = nil,
        role: Role = .blocked, note: String? = nil
    ) {
        self.role = role
        self.note = note
        self.engine = engine
        self.id = id
        self.templates = templates
        self.reasonTemplate = reason
        self.causes = causes
        self.decidingProbe = decidingProbe
        self.documentationURL = documentationURL
    }

    /// The line with `values` filled in (the first template).
    public func render(_ values: [ConsolePlaceholder: String]) -> String {
        templates[0].render(values)
    }
}
