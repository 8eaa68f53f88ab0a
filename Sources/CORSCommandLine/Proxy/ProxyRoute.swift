import Foundation

/// One `--route PREFIX=URL`: requests whose path starts with `prefix` (at a segment boundary) go
/// to `upstream`, with the prefix removed when `stripsPrefix`.
struct ProxyRoute: Sendable, Equatable {
    /// The path prefix, `/` or `/api` (never with a trailing slash, except `/` itself).
    var prefix: String
    /// The upstream as given, without a trailing slash: `http://127.0.0.1:8000`.
    var upstream: String
    /// `http` or `https`.
    var scheme: String
    /// The upstream's host, lowercased, without brackets for IPv6.
    var host: String
    /// The upstream's port (the scheme's default when the URL has none).
    var port: Int
    /// The upstream URL's own path, without a trailing slash (usually empty).
    var basePath: String
    /// Whether the prefix is removed before the request goes upstream (`--strip-prefix`).
    var stripsPrefix: Bool

    /// `host:port` as a Host header spells it (the port only when not the scheme's default).
    var authority: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == (scheme == "https" ? 443 : 80) ? bracketed : "\(bracketed):\(port)"
    }

    /// The upstream's origin, `scheme://authority`.
    var origin: String { "\(scheme)://\(authority)" }

    /// Parses `PREFIX=URL`.
    ///
    /// - Throws: ``ToolFailure`` naming what is wrong.
    init(parsing argument: String, stripsPrefix: Bool = false) throws {
        guard let equals = argument.firstIndex(of: "=") else {
            throw ToolFailure("--route must be PREFIX=URL, such as /api=http://127.0.0.1:8000, not '\(argument)'")
        }
        try self.init(prefix: String(argument[..<equals]), upstream: String(argument[argument.index(after: equals)...]), stripsPrefix: stripsPrefix)
    }

    /// A route from its prefix and upstream URL.
    ///
    /// - Throws: ``ToolFailure`` when the prefix does not start with `/` or the URL is not http(s).
    init(prefix: String, upstream: String, stripsPrefix: Bool = false) throws {
        guard prefix.hasPrefix("/"), !prefix.contains("?"), !prefix.contains("#") else {
            throw ToolFailure("a route's prefix must be a path starting with '/', not '\(prefix)'")
        }
        var trimmedPrefix = prefix
        while trimmedPrefix.count > 1 && trimmedPrefix.hasSuffix("/") { trimmedPrefix.removeLast() }
        guard let url = URL(string: upstream), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw ToolFailure("an upstream must be an http:// or https:// URL without query, such as http://127.0.0.1:8000, not '\(upstream)'")
        }
        var basePath = url.path
        while basePath.hasSuffix("/") { basePath.removeLast() }
        var shown = upstream
        while shown.hasSuffix("/") { shown.removeLast() }
        self.prefix = trimmedPrefix
        self.upstream = shown
        self.scheme = scheme
        self.host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
        self.basePath = basePath
        self.stripsPrefix = stripsPrefix && trimmedPrefix != "/"
    }

    /// Whether `path` (with any query) falls under this route's prefix at a segment boundary:
    /// `/api` serves `/api`, `/api/me` and `/api?x`, not `/apix`.
    func matches(_ path: Substring) -> Bool {
        guard prefix != "/" else { return path.hasPrefix("/") }
        guard path.hasPrefix(prefix) else { return false }
        let rest = path.dropFirst(prefix.count)
        return rest.isEmpty || rest.first == "/" || rest.first == "?"
    }

    /// The path and query to request upstream for the proxy's `path`.
    func upstreamPath(for path: String) -> String {
        var forwarded = Substring(path)
        if stripsPrefix {
            forwarded = forwarded.dropFirst(prefix.count)
            if !forwarded.hasPrefix("/") { forwarded = "/" + forwarded }
        }
        return basePath.isEmpty ? String(forwarded) : basePath + forwarded
    }

    /// The upstream URL for the proxy's `path`.
    func upstreamURL(for path: String) -> String {
        origin + upstreamPath(for: path)
    }

    /// The proxy's path for the upstream's `path`: the inverse of ``upstreamPath(for:)``, or
    /// `nil` when the path is outside the upstream's base path.
    func proxyPath(forUpstreamPath path: Substring) -> String? {
        var rest = path
        if !basePath.isEmpty {
            guard rest.hasPrefix(basePath) else { return nil }
            rest = rest.dropFirst(basePath.count)
            if !rest.hasPrefix("/") { rest = "/" + rest }
        }
        guard stripsPrefix else { return String(rest) }
        return rest == "/" ? prefix : prefix + rest
    }
}

/// The routes, longest prefix first.
struct ProxyRouteTable: Sendable {
    /// Every route, longest prefix first.
    let routes: [ProxyRoute]

    /// - Throws: ``ToolFailure`` when two routes share a prefix.
    init(_ routes: [ProxyRoute]) throws {
        var seen = Set<String>()
        for route in routes where !seen.insert(route.prefix).inserted {
            throw ToolFailure("two routes for the prefix \(route.prefix); give each prefix one upstream")
        }
        self.routes = routes.sorted { $0.prefix.count > $1.prefix.count }
    }

    /// The route serving `path`: the longest matching prefix.
    func route(for path: String) -> ProxyRoute? {
        let path = Substring(path)
        return routes.first { $0.matches(path) }
    }
}
