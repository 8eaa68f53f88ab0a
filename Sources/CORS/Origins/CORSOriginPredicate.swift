/// Decides origins that the static rules of a policy do not know — for example the origins of
/// a multi-tenant app's customers, kept in a database.
///
/// The predicate is consulted only for origins that neither `allowOrigins` nor
/// `allowOriginPatterns` trusts, and only for well-formed serialized origins (never `null`,
/// never a malformed or oversized value), so the static path stays as fast as before. Its
/// answers can be cached with a bounded size and lifetime. A predicate that throws or exceeds
/// its timeout denies the origin; it never grants one.
///
/// ```swift
/// let tenants = CORSOriginPredicate.async(timeout: .milliseconds(200)) { origin in
///     try await database.isTenantOrigin(origin)
/// }
/// let policy = try CORSPolicy(allowOrigins: ["https://app.example.com"], originPredicate: tenants)
/// ```
public struct CORSOriginPredicate: Sendable {
    /// How answers are cached.
    public struct Cache: Sendable, Hashable {
        /// The most origins remembered; further answers evict expired, then arbitrary entries.
        public var maximumEntries: Int
        /// How long an answer is reused. Denials are cached too, so that an attacker cycling
        /// through origins cannot make every request hit the store.
        public var lifetime: Duration

        /// Creates a cache configuration.
        public init(maximumEntries: Int = 1024, lifetime: Duration = .seconds(60)) {
            self.maximumEntries = max(0, maximumEntries)
            self.lifetime = lifetime
        }

        /// No caching: every request asks the predicate.
        public static let disabled = Cache(maximumEntries: 0, lifetime: .zero)
    }

    enum Body: Sendable {
        case sync(@Sendable (String) -> Bool)
        case async(@Sendable (String) async throws -> Bool)
    }

    let body: Body
    /// How long an asynchronous predicate may take before the origin is denied.
    public let timeout: Duration
    /// How answers are cached.
    public let cache: Cache

    /// A synchronous predicate, e.g. a lookup in an in-memory set.
    public static func sync(
        cache: Cache = .disabled, _ isAllowed: @escaping @Sendable (_ origin: String) -> Bool
    ) -> CORSOriginPredicate {
        CORSOriginPredicate(body: .sync(isAllowed), timeout: .zero, cache: cache)
    }

    /// An asynchronous predicate, e.g. a database query, bounded by `timeout`.
    public static func async(
        timeout: Duration = .milliseconds(250), cache: Cache = Cache(),
        _ isAllowed: @escaping @Sendable (_ origin: String) async throws -> Bool
    ) -> CORSOriginPredicate {
        CORSOriginPredicate(body: .async(isAllowed), timeout: timeout, cache: cache)
    }
}

/// The predicate failed, so the origin was denied.
public struct CORSOriginPredicateFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong: the thrown error's description, or a timeout.
    public var description: String
}
