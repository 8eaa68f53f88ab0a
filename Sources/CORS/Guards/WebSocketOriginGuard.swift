public import HTTPTypes

/// Refuses WebSocket upgrades from pages the policy does not trust: cross-site WebSocket
/// hijacking (CSWSH, CWE-1385). Browsers send cookies with an upgrade request and CORS does not
/// apply to WebSockets at all, so without this check any site can open a socket as the user.
///
/// The trusted origins are the policy's (``CORSEngine/namesTrustedOrigin(_:)``): one list
/// governs reads, writes and sockets. An upgrade from the server's own origin (its `Origin`
/// names the request's `Host`) passes too, unless ``allowsSameOrigin`` is off. An upgrade without
/// `Origin` comes from a program, not a browser page: it passes unless ``allowsMissingOrigin``
/// is off.
public struct WebSocketOriginGuard: Sendable {
    /// Let upgrades without an `Origin` (non-browser clients) through.
    public var allowsMissingOrigin: Bool
    /// Let upgrades whose `Origin` names the request's own `Host` through.
    public var allowsSameOrigin: Bool

    /// A guard; by default non-browser clients and the server's own pages pass.
    public init(allowsMissingOrigin: Bool = true, allowsSameOrigin: Bool = true) {
        self.allowsMissingOrigin = allowsMissingOrigin
        self.allowsSameOrigin = allowsSameOrigin
    }

    /// Whether `fields` ask for a WebSocket upgrade (`Upgrade: websocket`, any case). Other
    /// requests are not the guard's business.
    public static func isUpgrade(_ fields: HTTPFields) -> Bool {
        fields[values: .upgrade].contains { value in
            value.split(separator: ",").contains { $0.trimmingASCIISpaces().lowercased() == "websocket" }
        }
    }

    /// Decides an upgrade request against the origins `engine`'s policy trusts, consulting its
    /// origin predicate.
    public func check(_ request: HTTPRequest, engine: CORSEngine) async -> WebSocketOriginVerdict {
        switch firstStage(request) {
        case .decided(let verdict): return verdict
        case .needsTrust(let origin):
            return await engine.namesTrustedOrigin(origin) ? .allowed(.trustedOrigin) : .refused(.originNotTrusted(origin: origin))
        }
    }

    /// ``check(_:engine:)`` with the policy's static rules only (no origin predicate).
    public func checkStatically(_ request: HTTPRequest, engine: CORSEngine) -> WebSocketOriginVerdict {
        switch firstStage(request) {
        case .decided(let verdict): return verdict
        case .needsTrust(let origin):
            return engine.namesTrustedOriginStatically(origin) ? .allowed(.trustedOrigin) : .refused(.originNotTrusted(origin: origin))
        }
    }

    private enum Stage {
        case decided(WebSocketOriginVerdict)
        case needsTrust(String)
    }

    private func firstStage(_ request: HTTPRequest) -> Stage {
        let (origin, count) = GuardFields.origin(of: request.headerFields)
        if count == 0 { return .decided(allowsMissingOrigin ? .allowed(.noOrigin) : .refused(.originMissing)) }
        guard let origin else { return .decided(.refused(.multipleOrigins)) }
        if allowsSameOrigin, GuardFields.origin(origin, matchesHost: GuardFields.host(of: request)) {
            return .decided(.allowed(.sameOrigin))
        }
        return .needsTrust(origin)
    }
}

/// What ``WebSocketOriginGuard`` decided about an upgrade.
public enum WebSocketOriginVerdict: Sendable, Hashable {
    /// Why an upgrade passed.
    public enum Allowance: Sendable, Hashable {
        /// The policy trusts the `Origin`.
        case trustedOrigin
        /// The `Origin` names the request's own host and port.
        case sameOrigin
        /// No `Origin`: a program, not a browser page.
        case noOrigin
    }

    /// Why an upgrade was refused.
    public enum Refusal: Sendable, Hashable {
        /// The policy does not trust the `Origin`.
        case originNotTrusted(origin: String)
        /// No `Origin`, and the guard requires one.
        case originMissing
        /// More than one `Origin` field.
        case multipleOrigins

        /// All the labels, for metrics created up front.
        public static let labels = ["origin-not-trusted", "origin-missing", "multiple-origins"]

        /// The metric and log label.
        public var label: String {
            switch self {
            case .originNotTrusted: "origin-not-trusted"
            case .originMissing: "origin-missing"
            case .multipleOrigins: "multiple-origins"
            }
        }

        /// The short body of the 403 answer; it repeats nothing the client sent.
        public var message: String {
            switch self {
            case .originNotTrusted: "Forbidden: WebSocket upgrade refused (the origin is not trusted)\n"
            case .originMissing: "Forbidden: WebSocket upgrade refused (no Origin)\n"
            case .multipleOrigins: "Forbidden: WebSocket upgrade refused (more than one Origin)\n"
            }
        }
    }

    /// The upgrade may go on.
    case allowed(Allowance)
    /// The upgrade must be answered with 403 and ``Refusal/message``, before upgrading.
    case refused(Refusal)

    /// Whether the upgrade may go on.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }

    /// The refusal, or `nil`.
    public var refusal: Refusal? {
        if case .refused(let refusal) = self { return refusal }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingASCIISpaces() -> Substring {
        var token = self
        while token.first == " " || token.first == "\t" { token.removeFirst() }
        while token.last == " " || token.last == "\t" { token.removeLast() }
        return token
    }
}
