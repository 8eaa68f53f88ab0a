/// Different policies for different parts of an API, chosen by path prefix — for example a
/// public read-only API open to every origin without credentials, and an account API pinned to
/// the frontend's origin with credentials.
///
/// One middleware at the top of the router applies the table, so that preflights for a
/// group's paths are answered by that group's policy even when the path has no `OPTIONS`
/// route, and unknown paths still get the right headers — the trap of middleware attached to a
/// route group, which only runs for routes that matched.
///
/// ```swift
/// let table = CORSPolicyTable(
///     default: accountPolicy,
///     routes: ["/public": publicPolicy]
/// )
/// ```
public struct CORSPolicyTable: Sendable {
    /// The engine for paths that no route prefix matches.
    public let defaultEngine: CORSEngine
    /// Path prefixes (segment-aligned, without a trailing slash) and their engines, longest first.
    public let routes: [(prefix: String, engine: CORSEngine)]

    /// Compiles a table.
    ///
    /// - Parameters:
    ///   - policy: The policy for paths no prefix matches.
    ///   - routes: Path prefixes such as `/public` or `/api/v1/account`. A prefix matches the path
    ///     itself and everything below it (`/public`, `/public/x`), never `/publicity`.
    public init(default policy: CORSPolicy, routes: [String: CORSPolicy] = [:]) {
        self.defaultEngine = CORSEngine(policy: policy)
        self.routes = routes.map { (prefix: Self.normalize($0.key), engine: CORSEngine(policy: $0.value)) }
            .sorted { $0.prefix.utf8.count > $1.prefix.utf8.count }
    }

    /// A table with a single policy for every path.
    public init(_ policy: CORSPolicy) {
        self.init(default: policy)
    }

    /// The engine for a request path (without the query).
    public func engine(forPath path: some StringProtocol) -> CORSEngine {
        for route in routes where Self.path(path, isUnder: route.prefix) {
            return route.engine
        }
        return defaultEngine
    }

    static func path(_ path: some StringProtocol, isUnder prefix: String) -> Bool {
        if prefix.isEmpty { return true }
        guard path.hasPrefix(prefix) else { return false }
        let rest = path.utf8.dropFirst(prefix.utf8.count)
        return rest.isEmpty || rest.first == UInt8(ascii: "/")
    }

    static func normalize(_ prefix: String) -> String {
        var result = prefix.hasPrefix("/") ? prefix : "/" + prefix
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
