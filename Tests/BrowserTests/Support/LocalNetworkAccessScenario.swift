import CORSBrowserModel
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What one engine did with one Local Network Access request, as stored in
/// `Tests/EngineFixtures/local-network-access.json`: `allowed STATUS`, `blocked` or `pending` (no
/// answer within ``LocalNetworkAccessScenario/pendingAfter``), the console lines of level error
/// (with `{api}` and `{origin}` placeholders), and the requests the API received (`+PNA` marks one
/// with `Access-Control-Request-Private-Network`).
struct LocalNetworkAccessRecord: Codable, Hashable, Sendable, CustomStringConvertible {
    var outcome: String
    var console: [String]
    var received: [String]

    var description: String { "\(outcome), console \(console), received \(received)" }
}

extension EngineFixtures {
    /// Local Network Access per permission state and engine.
    static let localNetworkAccess = EngineFixtureFile<LocalNetworkAccessRecord>(
        url: directory.appendingPathComponent("local-network-access.json"))
}

/// A page on `http://localhost:P`, declared public, calls an API on `http://127.0.0.1:M`
/// (loopback): `GET /lna/get` (no preflight) and `PUT /lna/put` with `X-Custom` (preflighted).
/// The API allows the page's origin, PUT and X-Custom, and answers a Private Network Access
/// preflight too, so that only the engine's permission decides.
enum LocalNetworkAccessScenario {
    /// A request with no answer after this long is `pending`.
    static let pendingAfter: Duration = .milliseconds(2500)

    /// The requests of the scenario, by case id.
    static func request(_ caseID: String, api: String) -> FetchRequest {
        caseID.hasSuffix("-put")
            ? FetchRequest(url: api + "/lna/put", method: "PUT", headers: [("X-Custom", "1")], credentials: "omit")
            : FetchRequest(url: api + "/lna/get", credentials: "omit")
    }

    static func startAPI(log: RequestLog) async throws -> RunningServer {
        try await RunningServer.start("local-network-access") { onRunning in
            let responder = CallbackResponder<BasicRequestContext> { request, _ in
                log.append(ReceivedRequest(method: request.method.rawValue, uri: request.uri.description, headerFields: request.headers))
                var fields = HTTPFields()
                if let origin = request.headers[.origin] {
                    fields[HTTPField.Name("Access-Control-Allow-Origin")!] = origin
                    fields[HTTPField.Name("Access-Control-Allow-Methods")!] = "GET, PUT"
                    fields[HTTPField.Name("Access-Control-Allow-Headers")!] = "X-Custom"
                    fields[HTTPField.Name("Access-Control-Allow-Private-Network")!] = "true"
                }
                fields[.cacheControl] = "no-store"
                return Response(
                    status: request.method == .options ? .noContent : .ok, headers: fields,
                    body: .init(byteBuffer: ByteBuffer(string: request.method == .options ? "" : "ok")))
            }
            return Application(
                responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: quietLogger("local-network-access"))
        }
    }

    /// The requests `log` received since `mark`, as `METHOD /path` (`+PNA` when the preflight
    /// asked for private network access).
    static func received(_ log: RequestLog, since mark: Int) -> [String] {
        log.all.dropFirst(mark).map { request in
            "\(request.method) \(request.path)" + (request.header("Access-Control-Request-Private-Network") == nil ? "" : " +PNA")
        }
    }

    /// `line` with the API's base URL and the page's origin as placeholders.
    static func placeholders(_ line: String, api: String, origin: String) -> String {
        line.replacingOccurrences(of: api, with: "{api}").replacingOccurrences(of: origin, with: "{origin}")
    }

    /// Where `policy` (with the engine's catalogue) disagrees with what the engine did for
    /// `caseID` (`undecided-get`, `denied-get`, `granted-get`, `granted-put`).
    static func mispredictions(_ profile: any EngineProfile, caseID: String, _ record: LocalNetworkAccessRecord) -> [String] {
        let policy = profile.localNetworkAccessPolicy
        var problems: [String] = []
        let state = caseID.split(separator: "-").first.map(String.init) ?? ""
        let request = Self.request(caseID, api: "{api}")
        let preflighted = request.method != "GET"
        var expectedOutcome: String
        var expectedReceived: [String]
        switch (state, policy.whileUndecided) {
        case ("granted", _), (_, .unrestricted):
            expectedOutcome = "allowed 200"
            let path = preflighted ? "/lna/put" : "/lna/get"
            let pna = policy.sendsPrivateNetworkAccessHeaders ? " +PNA" : ""
            expectedReceived = (preflighted ? ["OPTIONS \(path)\(pna)"] : []) + ["\(request.method) \(path)"]
        case ("undecided", .waits):
            expectedOutcome = "pending"
            expectedReceived = []
        default:
            expectedOutcome = "blocked"
            expectedReceived = []
        }
        if record.outcome != expectedOutcome { problems.append("outcome: model \(expectedOutcome), engine \(record.outcome)") }
        if record.received != expectedReceived { problems.append("received: model \(expectedReceived), engine \(record.received)") }
        if expectedOutcome == "blocked", let id = policy.deniedMessageID {
            let line = profile.message(id).render([
                .url: request.url, .origin: "{origin}", .kind: "fetch", .value: "loopback", .status: "(null)",
            ])
            if record.console.first != line { problems.append("console: model \(line), engine \(record.console)") }
        }
        if expectedOutcome == "allowed 200" && !record.console.isEmpty { problems.append("console lines for a request that was not blocked: \(record.console)") }
        return problems
    }
}
