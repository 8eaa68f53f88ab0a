import Foundation

/// The three engines the suites drive.
enum Engine: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case chromium, firefox, webkit
    var description: String { rawValue }
}

/// What one engine did with one `fetch`: the status the page read, or the rejection, and the
/// console lines the engine printed for it.
struct EngineOutcome: Sendable, CustomStringConvertible {
    /// The status the script saw; `nil` when `fetch` rejected.
    let status: Int?
    /// `TypeError: NetworkError when attempting to fetch resource.`, `TypeError: Load failed`…
    let scriptError: String?
    /// The engine's console lines of level error, in order, as the engine wrote them.
    let console: [String]

    var isAllowed: Bool { status != nil }

    var description: String {
        (status.map { "allowed (\($0))" } ?? "blocked (\(scriptError ?? "?"))") + " \(console)"
    }

    /// Reads the value ``FetchRequest/script`` resolves to, as JSON text.
    static func pageResult(_ json: String) throws -> (status: Int?, error: String?) {
        let value = try JSONValue.parse(json)
        return (value["status"]?.int, value["error"]?.string)
    }
}

extension FetchRequest {
    /// ``script``, resolving to its result serialized as JSON text: a string crosses every
    /// automation protocol unchanged.
    var jsonScript: String {
        "(async () => JSON.stringify(await \(script)))()"
    }
}
