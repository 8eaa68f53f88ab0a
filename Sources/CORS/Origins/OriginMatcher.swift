/// The compiled origin rules of a policy: `*`, exact origins, structured patterns, and the
/// opt-in `null`.
struct OriginMatcher: Sendable {
    /// How an origin came to be trusted, for logs and metrics.
    enum Match: Sendable, Hashable {
        case anyOrigin
        /// The policy's exact origin at this position of ``OriginMatcher/exactOrigins``.
        case exact(position: Int)
        case pattern(String)
        case null
    }

    /// The longest `Origin` value considered at all. A serialized origin is at most
    /// `scheme://` + a 253-byte host + `:65535`; anything longer is refused before it is
    /// compared, so the work per request stays bounded whatever the client sends.
    static let maximumOriginLength = 320

    let allowsAnyOrigin: Bool
    let allowsNull: Bool
    /// The exact origins, in the policy's order without duplicates.
    let exactOrigins: [String]
    private let exact: ExactOrigins
    let patterns: [OriginPattern]

    init(allowsAnyOrigin: Bool, allowsNull: Bool, exact: [String], patterns: [OriginPattern]) {
        self.allowsAnyOrigin = allowsAnyOrigin
        self.allowsNull = allowsNull
        var unique: [String] = []
        var seen: Set<String> = []
        for origin in exact where seen.insert(origin).inserted { unique.append(origin) }
        self.exactOrigins = unique
        self.exact = ExactOrigins(unique)
        self.patterns = patterns
    }

    /// Whether the answer for an allowed origin depends on which origin asked: every policy but
    /// one that allows any origin.
    var dependsOnOrigin: Bool { !allowsAnyOrigin }

    /// The rule that trusts `origin`, or `nil` when none does. Comparison is byte for byte, as
    /// the browser's own CORS check is.
    func match(_ origin: String) -> Match? {
        if allowsAnyOrigin { return .anyOrigin }
        guard origin.utf8.count <= Self.maximumOriginLength else { return nil }
        if let match = origin.utf8.withContiguousStorageIfAvailable({ match(origin, bytes: $0) }) {
            return match
        }
        return Array(origin.utf8).withUnsafeBufferPointer { match(origin, bytes: $0) }
    }

    private func match(_ origin: String, bytes: UnsafeBufferPointer<UInt8>) -> Match? {
        if let position = exact.position(of: bytes, string: origin) { return .exact(position: position) }
        if allowsNull && bytes.count == 4 && origin == "null" { return .null }
        if patterns.isEmpty { return nil }
        // Non-ASCII never appears in a serialized origin.
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        for pattern in patterns where pattern.matches(bytes) {
            return .pattern(pattern.text)
        }
        return nil
    }
}
