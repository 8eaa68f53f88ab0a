/// One engine's departures from the shared Fetch model, and the words it uses.
///
/// The verdict is always the shared model's (``RequestPlan``): on a 39-case zoo of server
/// behaviours Chromium 156, Firefox 153 and WebKitGTK 2.50 reached the same verdict on every
/// case (reference/browser-engines.md). What differs, and lives here: which failed check the
/// engine reports and in which words (``report(_:)``), the preflight cache
/// (``preflightCache``), `Authorization` under `Access-Control-Allow-Headers: *`
/// (``authorizationUnderWildcard``), redirected preflights (``redirectedPreflight``), cookies
/// on credentialed cross-site requests (``crossSiteCookieVerdict(for:)``) and Local Network
/// Access (``localNetworkAccess``).
public protocol EngineProfile: Sendable {
    /// The engine.
    var engine: BrowserEngine { get }
    /// Every console message the engine prints for a CORS failure: the one home of the texts,
    /// used both to write a line (``report(_:)``) and to read one (``ConsoleMessageReader``).
    var catalogue: [EngineMessage] { get }
    /// How long the engine caches a successful preflight.
    var preflightCache: PreflightCachePolicy { get }
    /// What the engine does with `Authorization` when the preflight answers
    /// `Access-Control-Allow-Headers: *` (no credentials).
    var authorizationUnderWildcard: EngineBehaviour { get }
    /// Whether a request with `Authorization` that `Access-Control-Allow-Headers: *` let through
    /// sends a new preflight every time instead of reusing the cached one (measured).
    var authorizationUnderWildcardRepreflights: Bool { get }
    /// What the engine does with a preflight answered by a redirect.
    var redirectedPreflight: EngineBehaviour { get }
    /// What the engine does when a public page reaches a loopback or private address.
    var localNetworkAccess: EngineBehaviour { get }
    /// The same, as the measured rules: the permission, the undecided state, the denied line.
    var localNetworkAccessPolicy: LocalNetworkAccessPolicy { get }

    /// The reason the engine reports for a blocked exchange, and its console lines.
    func report(_ exchange: BlockedExchange) -> EngineReport

    /// Whether the engine stores `cookie`, set by the response from `url` (`nil`: an https URL)
    /// loaded in `context`, and sends it with a later credentialed cross-site request from the
    /// page (measured in each engine: `Tests/EngineFixtures/cross-site-cookies.json`).
    func crossSiteCookieVerdict(
        for cookie: SetCookie, setIn context: CookieSettingContext, by url: WebURL?
    ) -> CrossSiteCookieVerdict

    /// The console lines for a request that failed with a network error rather than a CORS
    /// rule (Chromium prints none for these).
    func networkErrorLines(_ error: NetworkError, request: PageRequest) -> [String]
}

extension EngineProfile {
    /// Whether the engine sends `cookie`, set by the response to a credentialed cross-site
    /// request, with the next such request: the exchange `cors check` sees.
    public func crossSiteCookieVerdict(for cookie: SetCookie) -> CrossSiteCookieVerdict {
        crossSiteCookieVerdict(for: cookie, setIn: .crossSiteRequest, by: nil)
    }

    /// ``crossSiteCookieVerdict(for:setIn:by:)`` for a cookie set over https.
    public func crossSiteCookieVerdict(for cookie: SetCookie, setIn context: CookieSettingContext) -> CrossSiteCookieVerdict {
        crossSiteCookieVerdict(for: cookie, setIn: context, by: nil)
    }
}

extension EngineProfile {
    public func networkErrorLines(_ error: NetworkError, request: PageRequest) -> [String] { [] }
}

extension EngineProfile {
    /// The catalogue entry with identifier `id`.
    public func message(_ id: String) -> EngineMessage {
        guard let message = catalogue.first(where: { $0.id == id }) else {
            preconditionFailure("\(engine) has no message '\(id)'")
        }
        return message
    }
}

/// A behaviour of one engine, in a sentence, with where it comes from.
public struct EngineBehaviour: Sendable, Hashable {
    /// What the engine does.
    public let summary: String
    /// The source file or measurement it was taken from.
    public let source: String

    /// Creates a behaviour.
    public init(_ summary: String, source: String) {
        self.summary = summary
        self.source = source
    }
}

/// How an engine turns `Access-Control-Max-Age` into a preflight cache lifetime.
public struct PreflightCachePolicy: Sendable, Hashable {
    /// What the engine does with a value that is not a plain number.
    public enum InvalidValue: String, Sendable, Hashable {
        /// Uses the default lifetime.
        case useDefault = "default"
        /// Does not cache the preflight at all.
        case noCaching = "not cached"
    }

    /// The longest lifetime, in seconds.
    public let capSeconds: Int
    /// The lifetime when the header is absent, in seconds.
    public let defaultSeconds: Int
    /// What an invalid value means.
    public let invalidValue: InvalidValue
    /// What the cache entry is keyed on and how fine-grained it is.
    public let key: String
    /// Where the numbers come from.
    public let source: String
    /// The engine's parser: `nil` for a value it cannot read.
    let parse: @Sendable (String) -> Int?

    init(
        capSeconds: Int, defaultSeconds: Int, invalidValue: InvalidValue, key: String, source: String,
        parse: @escaping @Sendable (String) -> Int?
    ) {
        self.capSeconds = capSeconds
        self.defaultSeconds = defaultSeconds
        self.invalidValue = invalidValue
        self.key = key
        self.source = source
        self.parse = parse
    }

    /// The lifetime in seconds the engine gives a preflight answered with `headerValue`
    /// (`nil` when absent); 0 means the preflight is not cached.
    public func lifetime(headerValue: String?) -> Int {
        guard let headerValue else { return defaultSeconds }
        guard let seconds = parse(headerValue) else {
            return invalidValue == .useDefault ? defaultSeconds : 0
        }
        return max(0, min(seconds, capSeconds))
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.capSeconds == rhs.capSeconds && lhs.defaultSeconds == rhs.defaultSeconds
            && lhs.invalidValue == rhs.invalidValue && lhs.key == rhs.key
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(capSeconds)
        hasher.combine(defaultSeconds)
        hasher.combine(invalidValue)
    }
}
