import HTTPTypes

extension CORSEngine {
    /// Whether the policy names `origin` — in its list, its patterns or its origin predicate — so
    /// that the guards (``CrossOriginProtection``, ``WebSocketOriginGuard``) may let it write or
    /// open a socket. The same rules decide reads, so one list of trusted origins governs reads,
    /// writes and sockets.
    ///
    /// `*` and `null` never count here: `*` opens reads to every site, which says nothing about
    /// letting every site act as the user, and any page can make its origin `null` (a sandboxed
    /// frame). A predicate that fails or times out does not trust.
    public func namesTrustedOrigin(_ origin: String) async -> Bool {
        switch compiled.origins.match(origin) {
        case .exact?, .pattern?: return true
        case .anyOrigin?, .null?: return false
        case nil: break
        }
        guard let predicate = compiled.predicate, origin != "null" else { return false }
        if case .success(true) = await predicate.evaluate(origin) { return true }
        return false
    }

    /// ``namesTrustedOrigin(_:)`` with the policy's static rules only: an origin that only the
    /// policy's origin predicate trusts is not trusted here.
    public func namesTrustedOriginStatically(_ origin: String) -> Bool {
        switch compiled.origins.match(origin) {
        case .exact?, .pattern?: true
        default: false
        }
    }
}

/// Reads of request fields the guards share.
enum GuardFields {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let host = HTTPField.Name("Host")!

    /// The request's `Origin`: its value when it has exactly one, and how many it has.
    static func origin(of fields: HTTPFields) -> (value: String?, count: Int) {
        var value: String?
        var count = 0
        for field in fields where field.name == .origin {
            count += 1
            value = field.value
        }
        return (count == 1 ? value : nil, count)
    }

    /// The authority the request was sent to: `:authority`, else its `Host` field.
    static func host(of request: HTTPRequest) -> String? {
        if let authority = request.authority, !authority.isEmpty { return authority }
        return request.headerFields[host]
    }

    /// Whether `origin` (`scheme://host[:port]`) names the same host and port as `host` (the
    /// request's `Host`). As in Go's `CrossOriginProtection`, the scheme is not compared: `Host`
    /// does not carry it. Host names compare ASCII case-insensitively.
    static func origin(_ origin: String, matchesHost host: String?) -> Bool {
        guard let host, !host.isEmpty, let colon = origin.firstIndex(of: ":"), origin[colon...].hasPrefix("://")
        else { return false }
        let originHost = origin.utf8[origin.utf8.index(colon, offsetBy: 3)...]
        guard !originHost.isEmpty, !originHost.contains(UInt8(ascii: "/")) else { return false }
        return originHost.elementsEqual(host.utf8) { lowercased($0) == lowercased($1) }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
