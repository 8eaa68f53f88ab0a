/// The special schemes of the URL Standard that CORS deals with.
package enum WebScheme {
    /// The port a scheme uses when none is written; a browser elides it from origins and URLs.
    package static func defaultPort(ofScheme scheme: String) -> Int? {
        switch scheme {
        case "http", "ws": 80
        case "https", "wss": 443
        case "ftp": 21
        default: nil
        }
    }
}
