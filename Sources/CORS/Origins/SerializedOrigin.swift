import CORSWebSyntax

/// A tuple origin in its canonical parts: lowercase scheme, lowercase ASCII host, and the
/// port only when it is not the scheme's default — exactly what a browser puts in `Origin`.
struct SerializedOrigin: Sendable, Hashable {
    var scheme: String
    var host: String
    var port: Int?

    /// The ASCII serialization of an origin (HTML "serialization of an origin").
    var serialization: String {
        port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }


    /// Whether the host is loopback, where plain `http` cannot be intercepted on the network:
    /// `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`.
    var isLoopback: Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host == "[::1]"
            || (host.hasPrefix("127.") && HostSyntax.isIPv4(host))
    }

    /// Whether a network attacker can read or alter this origin's pages (plain `http` or `ws`
    /// on a non-loopback host).
    var isPotentiallyTrustworthy: Bool {
        !(scheme == "http" || scheme == "ws") || isLoopback
    }
}
