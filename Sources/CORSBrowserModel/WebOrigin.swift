/// A web origin (HTML Standard): either a scheme/host/port tuple or an opaque origin.
///
/// It serializes exactly as browsers write it in the `Origin` header and as the CORS check
/// compares it with `Access-Control-Allow-Origin`: `scheme://host[:port]` with the scheme and
/// host lowercased, the default port elided and no trailing slash; `null` for an opaque origin
/// (sandboxed iframes, `data:` and `file:` documents, see reference 1.6).
public enum WebOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A tuple origin. `port` is `nil` when it is the scheme's default.
    case tuple(scheme: String, host: String, port: Int?)
    /// An opaque origin, serialized as `null`.
    case opaque

    /// Parses a serialized origin (`https://app.example.com`, `null`) or takes the origin of
    /// a URL (`http://localhost:5173/index.html` gives `http://localhost:5173`).
    ///
    /// Accepts the special schemes `http`, `https`, `ws`, `wss` and `ftp`; `null` (exactly, as
    /// the token is case-sensitive) gives `.opaque`. Returns `nil` for anything else.
    public init?(_ string: String) {
        if string == "null" {
            self = .opaque
            return
        }
        guard let parts = URLParser.parse(string) else { return nil }
        self = .tuple(scheme: parts.scheme, host: parts.host, port: parts.port)
    }

    /// The ASCII serialization: `scheme://host[:port]`, or `null` when opaque.
    public var serialized: String {
        switch self {
        case .tuple(let scheme, let host, let port):
            port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
        case .opaque:
            "null"
        }
    }

    /// The serialized origin.
    public var description: String {
        serialized
    }

    /// Whether this is an opaque origin.
    public var isOpaque: Bool {
        self == .opaque
    }

    /// HTML's "same origin": equal tuples. An opaque origin is same origin only with itself,
    /// and because this model cannot tell two opaque origins apart it treats them as never
    /// same origin, which is the answer for every case CORS cares about (a `null` page is
    /// cross-origin with every URL it fetches).
    public func isSameOrigin(as other: WebOrigin) -> Bool {
        guard case .tuple = self else { return false }
        return self == other
    }

    /// The host's address space, for the Local Network Access warning.
    var addressSpace: HostAddressSpace {
        guard case .tuple(_, let host, _) = self else { return .unknown }
        return HostAddressSpace(host: host)
    }
}
