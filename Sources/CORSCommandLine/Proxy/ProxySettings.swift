import CORS

/// Everything one running proxy needs: where it listens, where it sends what, the policy (in
/// policy mode) and its bounds.
struct ProxySettings: Sendable {
    /// The listening host, as given (`127.0.0.1`, `::1`, `0.0.0.0`, `localhost`).
    var listenHost: String
    /// The listening port (0: any free port, for tests).
    var listenPort: Int
    /// The routes.
    var routes: ProxyRouteTable
    /// The policy in force (policy mode), or `nil` (same-origin mode: no CORS processing at all).
    var policy: CORSPolicySource?
    /// Keep the upstream's `Access-Control-*` fields (and let it answer preflights), comparing
    /// them with the policy's.
    var keepsUpstreamCORS = false
    /// Report-only mode: the upstream answers everything, preflights included, and its answers
    /// pass unchanged; the policy's differences are only recorded.
    var reportOnly: ProxyReportOnly?
    /// How `Host` reaches the upstream.
    var hostMode: HostHeaderMode = .passthrough
    /// The largest request head (request line and fields) accepted, in bytes.
    var maximumHeaderBytes = 32 * 1024
    /// How long a connection may stay idle (no request in progress) before it is closed.
    var idleTimeout: Duration = .seconds(60)
    /// How long the upstream may take to connect and answer with a response head.
    var upstreamTimeout: Duration = .seconds(30)

    /// Whether `host` names the loopback interface only.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: .init(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The authorities an absolute-form request may name for this proxy itself.
    func ownAuthorities(port: Int) -> Set<String> {
        var names: Set<String> = ["\(listenHost.lowercased()):\(port)"]
        if Self.isLoopback(listenHost) {
            names.formUnion(["localhost:\(port)", "127.0.0.1:\(port)", "[::1]:\(port)"])
        }
        return names
    }
}

extension Duration {
    /// Whole nanoseconds, for NIO's `TimeAmount`.
    var proxyNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
