/// What an engine does when a page on a public address calls a loopback address (Local Network
/// Access), as measured in the engine zoo (`Tests/EngineFixtures/local-network-access.json`).
///
/// Measured with the page on `http://localhost:P` declared public (Chromium
/// `--ip-address-space-overrides=127.0.0.1:P=public`, Firefox
/// `network.lna.address_space.public.override`) and the API on `http://127.0.0.1:M`.
public struct LocalNetworkAccessPolicy: Sendable, Hashable {
    /// What a request does while the user has not answered the permission prompt.
    public enum Undecided: String, Sendable, Hashable {
        /// It fails at once, as if denied (no prompt is shown: headless Chromium).
        case blocked
        /// It stays pending until the user answers (headless Firefox: it never settles).
        case waits
        /// There is no permission: the request is an ordinary CORS request.
        case unrestricted
    }

    /// Whether a public page's request to a loopback address needs the user's permission.
    public let asksPermission: Bool
    /// The name of the loopback permission in the engine's automation protocol (CDP
    /// `Browser.grantPermissions`, WebDriver BiDi `permissions.setPermission`).
    public let loopbackPermission: String?
    /// What the request does before the user has answered.
    public let whileUndecided: Undecided
    /// The catalogue message the engine prints when the permission is denied; `nil` when there
    /// is no permission.
    public let deniedMessageID: String?
    /// Whether a request sends the Private Network Access headers
    /// (`Access-Control-Request-Private-Network` on the preflight): never, measured; an
    /// allowed request is an ordinary CORS request, and no CORS header changes the outcome.
    public let sendsPrivateNetworkAccessHeaders: Bool
    /// Where it comes from, and what could not be measured.
    public let source: String

    /// Creates a policy.
    public init(
        asksPermission: Bool, loopbackPermission: String?, whileUndecided: Undecided, deniedMessageID: String?,
        sendsPrivateNetworkAccessHeaders: Bool = false, source: String
    ) {
        self.asksPermission = asksPermission
        self.loopbackPermission = loopbackPermission
        self.whileUndecided = whileUndecided
        self.deniedMessageID = deniedMessageID
        self.sendsPrivateNetworkAccessHeaders = sendsPrivateNetworkAccessHeaders
        self.source = source
    }
}
