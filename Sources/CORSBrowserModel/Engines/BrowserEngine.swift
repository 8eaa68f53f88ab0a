/// A browser engine whose CORS behaviour the model knows: the Fetch rules are shared, and each
/// engine's ``EngineProfile`` holds only its departures and its console message catalogue.
public enum BrowserEngine: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// Chrome, Edge, Opera, Brave (Blink and the network service). The model's default.
    case chromium
    /// Firefox (Gecko, necko).
    case firefox
    /// Safari and every iOS browser (WebKit's WebCore; Safari's networking is CFNetwork,
    /// WebKitGTK's libsoup).
    case webkit

    /// The engine's profile.
    public var profile: any EngineProfile {
        switch self {
        case .chromium: ChromiumProfile()
        case .firefox: FirefoxProfile()
        case .webkit: WebKitProfile()
        }
    }

    /// The browser people name when they mean this engine: Chrome, Firefox, Safari.
    public var browserName: String {
        switch self {
        case .chromium: "Chrome"
        case .firefox: "Firefox"
        case .webkit: "Safari"
        }
    }

    /// The engine's name: Chromium, Firefox, WebKit.
    public var engineName: String {
        switch self {
        case .chromium: "Chromium"
        case .firefox: "Firefox"
        case .webkit: "WebKit"
        }
    }

    /// The raw value.
    public var description: String { rawValue }
}
