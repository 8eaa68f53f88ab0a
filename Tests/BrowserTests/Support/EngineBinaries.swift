import Foundation
import Testing

/// Where the suites find Firefox, WebKit's driver, MiniBrowser and Xvfb, and whether they may
/// skip when one is missing.
///
/// Each is taken from an environment variable when set (`FIREFOX`, `WEBKIT_WEBDRIVER`,
/// `MINIBROWSER`, `XVFB`), else from `PATH` or the path Debian's package installs. A suite is
/// skipped when its engine is absent, except under `CI=true`: there a missing engine fails the
/// suite, so that CI never passes without having run it.
enum EngineBinaries {
    /// Debian's `firefox-esr` (or a `firefox`).
    static var firefox: String? { locate(variable: "FIREFOX", names: ["firefox-esr", "firefox"]) }

    /// `WebKitWebDriver`, from Debian's `webkit2gtk-driver`.
    static var webKitWebDriver: String? { locate(variable: "WEBKIT_WEBDRIVER", names: ["WebKitWebDriver"]) }

    /// `MiniBrowser`, from Debian's `libwebkit2gtk-4.1-0` (not on `PATH`).
    static var miniBrowser: String? {
        locate(
            variable: "MINIBROWSER", names: ["MiniBrowser"],
            knownPaths: [
                "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
                "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
                "/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser",
                "/usr/lib/aarch64-linux-gnu/webkitgtk-6.0/MiniBrowser",
            ])
    }

    /// `Xvfb`, from Debian's `xvfb`: WebKitGTK has no headless mode.
    static var xvfb: String? { locate(variable: "XVFB", names: ["Xvfb"]) }

    /// Whether this run must not skip a real-engine suite (`CI=true`, `CORS_REQUIRE_ENGINES=1`).
    static var isCI: Bool {
        let environment = ProcessInfo.processInfo.environment
        let ci = environment["CI"]?.lowercased()
        return ci == "true" || ci == "1" || environment["CORS_REQUIRE_ENGINES"] == "1"
    }

    /// Run the Firefox suites: Firefox is installed, or CI demands it (and then fails without it).
    static var runFirefox: Bool { isCI || firefox != nil }

    /// Run the WebKit suites: driver, MiniBrowser and Xvfb are installed, or CI demands them.
    static var runWebKit: Bool { isCI || (webKitWebDriver != nil && miniBrowser != nil && xvfb != nil) }

    static let firefoxMissing: Comment =
        "firefox-esr is not installed (Scripts/test.sh installs it; or set FIREFOX=/path/to/firefox). Under CI=true or CORS_REQUIRE_ENGINES=1 this fails instead."
    static let webKitMissing: Comment =
        "WebKitGTK is not installed: needs WebKitWebDriver (webkit2gtk-driver), MiniBrowser (libwebkit2gtk-4.1-0) and Xvfb (xvfb); Scripts/test.sh installs them. Under CI=true or CORS_REQUIRE_ENGINES=1 this fails instead."

    static func require(_ path: String?, _ what: String, package: String) throws -> String {
        guard let path else {
            throw BrowserStartError(
                description: "\(what) was not found. The real-engine suites need Debian's \(package): run Scripts/test.sh or `apt-get install -y \(package)`.")
        }
        return path
    }

    private static func locate(variable: String, names: [String], knownPaths: [String] = []) -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment[variable], !path.isEmpty {
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for name in names {
            for directory in directories {
                let path = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return knownPaths.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
