import CORS
import CORSBrowserModel
import CORSWebSyntax

/// A URL to scan, taken apart for deriving probes.
struct ScanTarget: Sendable, Hashable {
    var url: String
    var scheme: String
    var host: String
    var port: Int?
    /// `scheme://host[:port]`, the target's own origin.
    var origin: String
    /// The registrable domain (`example.com` for `api.example.com`), if the host has one.
    var registrableDomain: String?
    /// `host[:port]` as in the Host header.
    var authority: String
    var pathAndQuery: String

    init?(_ text: String) {
        guard let url = WebURL(text), url.scheme == "http" || url.scheme == "https",
            case .tuple(let scheme, let host, let port) = url.origin
        else { return nil }
        self.url = url.serialized
        self.scheme = scheme
        self.host = host
        self.port = port
        self.origin = url.origin.serialized
        self.registrableDomain = RegistrableDomain.of(host)
        self.authority = url.authority
        self.pathAndQuery = url.pathAndQuery
    }
}
