import Foundation
import NIOConcurrencyHelpers

/// What one engine did with one case, as stored in `Tests/EngineFixtures/engine-console.json`: the verdict
/// (allowed, with the status the page read) and the console lines of level error the engine
/// printed, with the page's origin and the API's base URL as placeholders.
struct EngineRecord: Codable, Hashable, Sendable, CustomStringConvertible {
    var allowed: Bool
    var status: Int?
    var console: [String]

    var description: String {
        (allowed ? "allowed (\(status.map(String.init) ?? "?"))" : "blocked") + " \(console)"
    }
}

/// What one engine did with a request sent twice in a row, as stored in
/// `Tests/EngineFixtures/preflight-cache.json`: the preflights the server received, and each fetch's status
/// (`null` when blocked).
struct PreflightCacheRecord: Codable, Hashable, Sendable, CustomStringConvertible {
    var preflights: Int
    var statuses: [Int?]

    var description: String { "\(preflights) preflight(s), statuses \(statuses)" }
}

/// A fixture file of the engine suites, `case id → engine → value`, read in normal runs and
/// rewritten, entry by entry, when `CORS_RECORD_ENGINE_FIXTURES=1`.
struct EngineFixtureFile<Value: Codable & Hashable & Sendable>: Sendable {
    let url: URL

    /// Rewriting the file happens under this lock (suites may record concurrently).
    private static var lock: NIOLock { engineFixtureLock }

    var isRecording: Bool {
        ProcessInfo.processInfo.environment["CORS_RECORD_ENGINE_FIXTURES"] == "1"
    }

    func load() throws -> [String: [String: Value]] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        return try JSONDecoder().decode([String: [String: Value]].self, from: Data(contentsOf: url))
    }

    /// The stored value of `caseID` for `engine`, `nil` when none is stored.
    func expected(_ caseID: String, _ engine: Engine) throws -> Value? {
        try load()[caseID]?[engine.rawValue]
    }

    /// Stores `value` for `caseID` and `engine`, keeping every other entry.
    func record(_ caseID: String, _ engine: Engine, _ value: Value) throws {
        try Self.lock.withLock {
            var all = try load()
            all[caseID, default: [:]][engine.rawValue] = value
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var data = try encoder.encode(all)
            data.append(0x0A)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        }
    }
}

private let engineFixtureLock = NIOLock()

enum EngineFixtures {
    /// `Tests/EngineFixtures`, found from this source file. It lies outside every target, so
    /// that other test targets (the browser model's, `cors explain`'s) can read the same files
    /// and SwiftPM has no unhandled resources to warn about.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EngineFixtures", isDirectory: true)

    /// Verdicts and console lines of every zoo case in every engine.
    static let console = EngineFixtureFile<EngineRecord>(url: directory.appendingPathComponent("engine-console.json"))

    /// Preflights sent for a request repeated at once, per engine.
    static let preflightCache = EngineFixtureFile<PreflightCacheRecord>(
        url: directory.appendingPathComponent("preflight-cache.json"))

    /// `line` with the run's ports replaced by placeholders: `{api}` for the API's base URL
    /// (`http://127.0.0.1:M`), `{userApi}` for it with `user:secret@`, `{cross}` for the API under
    /// the page's host name (`http://localhost:M`), `{origin}` for the page's origin
    /// (`http://localhost:P`) and `{pagePort}` for P in an upper-case origin.
    static func placeholders(_ line: String, hosts: MatrixHosts) -> String {
        let replacements = [
            (hosts.apiBase.replacingOccurrences(of: "://", with: "://user:secret@"), "{userApi}"),
            (hosts.apiBase, "{api}"),
            (hosts.crossBase, "{cross}"),
            (hosts.pageOrigin, "{origin}"),
            ("HTTP://LOCALHOST:\(hosts.pagePort)", "HTTP://LOCALHOST:{pagePort}"),
        ].sorted { $0.0.count > $1.0.count }
        var text = line
        for (value, placeholder) in replacements {
            text = text.replacingOccurrences(of: value, with: placeholder)
        }
        return text
    }
}
