import CORSWebSyntax
/// The attributes of one `Set-Cookie` header value, parsed as Chromium does (RFC 6265bis
/// §5.6, `net::ParsedCookie`): enough to tell whether the cookie will come back on a
/// credentialed cross-site `fetch`, which is what makes a CORS setup with credentials work
/// (and a permissive one exploitable).
public struct SetCookie: Sendable, Hashable {
    /// The `SameSite` attribute values.
    public enum SameSite: String, Sendable, Hashable, CaseIterable {
        /// `SameSite=None`: sent cross-site (requires `Secure`).
        case none = "None"
        /// `SameSite=Lax`: sent on same-site requests and top-level navigations only.
        case lax = "Lax"
        /// `SameSite=Strict`: sent on same-site requests only.
        case strict = "Strict"
    }

    /// Chromium's limit on name plus value (`kMaxCookieNamePlusValueSize`).
    public static let maximumNameAndValueLength = 4096
    /// RFC 6265bis: an attribute value longer than this is ignored (Chromium `kMaxCookieAttributeValueSize`).
    public static let maximumAttributeValueLength = 1024

    /// The cookie's name (empty for a nameless cookie such as `Set-Cookie: token`).
    public let name: String
    /// The cookie's value.
    public let value: String
    /// The `SameSite` attribute, or `nil` when absent or not one of None, Lax, Strict (Chrome
    /// then applies its Lax default).
    public let sameSite: SameSite?
    /// Whether `Secure` is present.
    public let isSecure: Bool
    /// Whether `HttpOnly` is present.
    public let isHTTPOnly: Bool
    /// Whether `Partitioned` (CHIPS) is present.
    public let isPartitioned: Bool
    /// The `Domain` attribute without a leading dot, lowercased, or `nil`.
    public let domain: String?
    /// The `Path` attribute, or `nil`.
    public let path: String?
    /// Why the browser refuses to store the cookie at all, or `nil` when it stores it.
    let rejection: String?

    /// Parses a `Set-Cookie` header value. Never fails: a value the browser would ignore gives
    /// a cookie whose ``crossSiteVerdict`` is ``CrossSiteCookieVerdict/Outcome/rejected``.
    public init(parsing headerValue: String) {
        var parts = headerValue.utf8.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)[...]
        let pair = parts.popFirst().map { Substring($0) } ?? ""
        var name = ""
        var value: Substring
        if let equals = pair.utf8.firstIndex(of: UInt8(ascii: "=")) {
            // Slice the UTF-8 view: "=" followed by a combining mark is one Character.
            name = String(ASCII.trimmingOptionalWhitespace(Substring(pair.utf8[..<equals])))
            value = ASCII.trimmingOptionalWhitespace(Substring(pair.utf8[pair.utf8.index(after: equals)...]))
        } else {
            // RFC 6265bis: without "=", the whole pair is the value of a nameless cookie.
            value = ASCII.trimmingOptionalWhitespace(pair)
        }
        if value.utf8.count >= 2, value.utf8.first == ASCII.quote, value.utf8.last == ASCII.quote {
            value = Substring(value.utf8.dropFirst().dropLast())
        }
        self.name = name
        self.value = String(value)

        var sameSite: SameSite?
        var isSecure = false
        var isHTTPOnly = false
        var isPartitioned = false
        var domain: String?
        var path: String?
        for rawAttribute in parts {
            let attribute = Substring(rawAttribute)
            let equals = attribute.utf8.firstIndex(of: UInt8(ascii: "="))
            let attributeName = ASCII.lowercased(
                ASCII.trimmingOptionalWhitespace(Substring(attribute.utf8[..<(equals ?? attribute.utf8.endIndex)])))
            let attributeValue =
                equals.map { ASCII.trimmingOptionalWhitespace(Substring(attribute.utf8[attribute.utf8.index(after: $0)...])) }
                ?? ""
            guard attributeValue.utf8.count <= Self.maximumAttributeValueLength else { continue }
            // The last occurrence of an attribute wins.
            switch attributeName {
            case "secure": isSecure = true
            case "httponly": isHTTPOnly = true
            case "partitioned": isPartitioned = true
            case "samesite": sameSite = SameSite.allCases.first { ASCII.caseInsensitiveEquals($0.rawValue, attributeValue) }
            case "domain":
                var lowered = ASCII.lowercased(attributeValue)
                if lowered.hasPrefix(".") { lowered.removeFirst() }
                domain = lowered.isEmpty ? nil : lowered
            case "path": path = attributeValue.hasPrefix("/") ? String(attributeValue) : nil
            default: break
            }
        }
        self.sameSite = sameSite
        self.isSecure = isSecure
        self.isHTTPOnly = isHTTPOnly
        self.isPartitioned = isPartitioned
        self.domain = domain
        self.path = path
        self.rejection = Self.rejection(
            name: name, value: self.value, sameSite: sameSite, isSecure: isSecure, isPartitioned: isPartitioned,
            domain: domain, path: path)
    }

    /// The reasons Chromium refuses to store a cookie, in the order it checks them.
    private static func rejection(
        name: String, value: String, sameSite: SameSite?, isSecure: Bool, isPartitioned: Bool, domain: String?,
        path: String?
    ) -> String? {
        if name.isEmpty && value.isEmpty {
            return "The cookie has neither a name nor a value, so the browser ignores it."
        }
        if name.utf8.count + value.utf8.count > maximumNameAndValueLength {
            return "The cookie's name and value together exceed 4096 bytes, so the browser ignores it."
        }
        if (name + value).utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            return "The cookie's name or value contains a control character, so the browser ignores it."
        }
        if sameSite == SameSite.none && !isSecure {
            return
                "Cookies marked with SameSite=None must also be marked with Secure, so Chrome rejects this cookie (RFC 6265bis; Chrome DevTools reports it as blocked)."
        }
        if isPartitioned && !isSecure {
            return "A Partitioned (CHIPS) cookie must also be Secure, so Chrome rejects this cookie."
        }
        if name.hasPrefix("__Secure-") && !isSecure {
            return "A cookie whose name starts with __Secure- must be Secure, so the browser rejects it."
        }
        if name.hasPrefix("__Host-") && (!isSecure || domain != nil || path != "/") {
            return "A cookie whose name starts with __Host- must be Secure, have Path=/ and no Domain, so the browser rejects it."
        }
        return nil
    }
}
