import HTTPTypes

/// Rewrites what an upstream says about its own address so that the browser stays on the
/// proxy's origin: `Location` pointing at the upstream, and the `Domain` / `Path` of
/// `Set-Cookie`.
struct UpstreamResponseRewriter: Sendable {
    /// The route the response came through.
    var route: ProxyRoute
    /// The proxy's origin as the browser sees it: `http://` + the request's `Host`.
    var proxyOrigin: String

    /// The `Location` to send the browser for the upstream's `location`, or `nil` to keep it.
    ///
    /// An absolute URL on the upstream's origin moves to the proxy's origin (with the route's
    /// prefix put back when it was stripped); an absolute path gets the prefix back.
    func rewrittenLocation(_ location: String) -> String? {
        if location.hasPrefix("/") && !location.hasPrefix("//") {
            guard route.stripsPrefix || !route.basePath.isEmpty else { return nil }
            return route.proxyPath(forUpstreamPath: Substring(location))
        }
        guard let path = Self.path(of: location, onOrigin: route) else { return nil }
        guard let proxyPath = route.proxyPath(forUpstreamPath: path) else { return nil }
        return proxyOrigin + proxyPath
    }

    /// The path (with query) of `url` when its origin is the route's upstream, else `nil`.
    static func path(of url: String, onOrigin route: ProxyRoute) -> Substring? {
        let lowered = url.lowercased()
        var candidates = [route.origin.lowercased()]
        // The same origin spelled with its default port.
        let defaultPort = route.scheme == "https" ? 443 : 80
        if route.port == defaultPort { candidates.append("\(route.origin.lowercased()):\(defaultPort)") }
        for origin in candidates where lowered.hasPrefix(origin) {
            let rest = url.dropFirst(origin.count)
            if rest.isEmpty { return "/" }
            if rest.first == "/" { return rest }
            if rest.first == "?" || rest.first == "#" { return "/" + rest }
        }
        return nil
    }

    /// The `Set-Cookie` value to send the browser, or `nil` to keep it: a `Domain` naming the
    /// upstream's host is removed (the cookie becomes the proxy's host-only cookie), and a
    /// `Path` gets the stripped prefix back.
    func rewrittenSetCookie(_ value: String) -> String? {
        var changed = false
        var parts = value.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return nil }
        var index = 1
        while index < parts.count {
            let attribute = parts[index]
            let trimmed = attribute.drop { $0 == " " || $0 == "\t" }
            let name = trimmed.prefix { $0 != "=" }.trimmingCharacters(in: .whitespaces).lowercased()
            let attributeValue = trimmed.drop { $0 != "=" }.dropFirst().trimmingCharacters(in: .whitespaces)
            if name == "domain" {
                var domain = attributeValue.lowercased()
                if domain.hasPrefix(".") { domain.removeFirst() }
                if domain == route.host {
                    parts.remove(at: index)
                    changed = true
                    continue
                }
            } else if name == "path", route.stripsPrefix || !route.basePath.isEmpty, attributeValue.hasPrefix("/"),
                let proxyPath = route.proxyPath(forUpstreamPath: Substring(attributeValue))
            {
                parts[index] = " Path=\(proxyPath)"
                changed = true
            }
            index += 1
        }
        return changed ? parts.joined(separator: ";") : nil
    }
}
