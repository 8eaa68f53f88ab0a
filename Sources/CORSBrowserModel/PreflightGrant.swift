/// What a successful preflight allows, and for how long Chromium remembers it.
public struct PreflightGrant: Sendable, Hashable {
    /// How long the preflight cache keeps the entry.
    public let maxAge: PreflightMaxAge
    /// The methods listed in `Access-Control-Allow-Methods`, case kept (the comparison is
    /// case-sensitive), de-duplicated and sorted.
    public let allowedMethods: [String]
    /// The names listed in `Access-Control-Allow-Headers`, lowercased, de-duplicated and sorted.
    public let allowedHeaderNames: [String]
    /// Whether `*` in `Access-Control-Allow-Methods` acts as a wildcard (only without credentials).
    public let allowsAnyMethod: Bool
    /// Whether `*` in `Access-Control-Allow-Headers` acts as a wildcard (only without credentials).
    public let allowsAnyHeader: Bool

    /// Creates a grant.
    public init(
        maxAge: PreflightMaxAge, allowedMethods: [String], allowedHeaderNames: [String], allowsAnyMethod: Bool,
        allowsAnyHeader: Bool
    ) {
        self.maxAge = maxAge
        self.allowedMethods = allowedMethods
        self.allowedHeaderNames = allowedHeaderNames
        self.allowsAnyMethod = allowsAnyMethod
        self.allowsAnyHeader = allowsAnyHeader
    }
}
