/// The compiled origin rules of a policy: `*`, exact origins in a hash set, structured patterns,
/// and the opt-in `null`.
struct OriginMatcher: Sendable {
    /// How an origin came to be trusted, for logs and metrics.
    enum Match: Sendable, Hashable {
        case anyOrigin
        case exact
        case pattern(String)
        case null
    }

    /// The longest `Origin` value considered at all. A serialized origin is at most
    /// `scheme://` + a 253-byte host + `:65535`; anything longer is refused before hashing, so
    /// the work per request stays bounded whatever the client sends.
    static let maximumOriginLength = 320

    let allowsAnyOrigin: Bool
    let allowsNull: Bool
    let exact: Set<String>
    let patterns: [OriginPattern]

    /// Whether the answer for an allowed origin depends on which origin asked: every policy but
    /// one that allows any origin.
    var dependsOnOrigin: Bool { !allowsAnyOrigin }

    /// The rule that trusts `origin`, or `nil` when none does. Comparison is byte for byte, as
    /// the browser's own CORS check is.
    func match(_ origin: String) -> Match? {
        if allowsAnyOrigin { return .anyOrigin }
        let utf8 = origin.utf8
        guard utf8.count <= Self.maximumOriginLength else { return nil }
        // Non-ASCII never appears in a serialized origin; refusing it here also keeps String's
        // Unicode-aware equality from ever standing in for byte equality.
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        if exact.contains(origin) { return .exact }
        if allowsNull && origin == "null" { return .null }
        if patterns.isEmpty { return nil }
        var origin = origin
        return origin.withUTF8 { bytes in
            for pattern in patterns where pattern.matches(bytes) {
                return .pattern(pattern.text)
            }
            return nil
        }
    }
}
