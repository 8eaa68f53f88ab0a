import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A response a matrix case's server sends. Header values may contain placeholders, replaced
/// per request: `{origin}` the page's origin, `{pagePort}` its port, `{reflect}` the request's `Origin` header,
/// `{target}` the case's redirect target on this server (`/case/ID/target`), `{crossTarget}`
/// the same path on the other host name (`http://localhost:PORT/…`, another origin),
/// `{userTarget}` the target with `user:secret@` in the URL.
struct ResponseSpec: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String

    init(_ status: Int = 200, _ headers: [(String, String)] = [], body: String = "") {
        self.status = status
        self.headers = headers.map { (name: $0.0, value: $0.1) }
        self.body = body
    }
}

/// The values the placeholders of a ``ResponseSpec`` stand for.
struct MatrixHosts: Sendable {
    /// `http://localhost:PAGEPORT`
    let pageOrigin: String
    let pagePort: String
    /// `http://127.0.0.1:PORT`: the API origin pages fetch from.
    let apiBase: String
    /// `http://localhost:PORT`: the same server under another origin.
    let crossBase: String

    init(pageOrigin: String, port: Int) {
        self.pageOrigin = pageOrigin
        self.pagePort = String(pageOrigin.split(separator: ":").last ?? "")
        self.apiBase = "http://127.0.0.1:\(port)"
        self.crossBase = "http://localhost:\(port)"
    }

    /// `text` with `{origin}`, `{pagePort}`, `{target}` and `{crossTarget}` replaced.
    func resolve(_ text: String, caseID: String) -> String {
        text.replacingOccurrences(of: "{origin}", with: pageOrigin)
            .replacingOccurrences(of: "{pagePort}", with: pagePort)
            .replacingOccurrences(of: "{target}", with: "/case/\(caseID)/target")
            .replacingOccurrences(of: "{crossTarget}", with: "\(crossBase)/case/\(caseID)/target")
            .replacingOccurrences(of: "{userTarget}", with: apiBase.replacingOccurrences(of: "://", with: "://user:secret@") + "/case/\(caseID)/target")
    }
}

/// The server of the cross-check matrix: `/case/ID` and `/case/ID/target` answer with what
/// case `ID` prescribes, `OPTIONS` with its preflight response. A response is a pure function
/// of the case, the method, the path and the request's `Origin`, so the browser model is fed
/// exactly what Chromium got (``response(caseID:method:path:origin:hosts:)``).
enum MatrixServer {
    static func start(cases: [String: MatrixCase], pageOrigin: String, log: RequestLog) async throws -> RunningServer {
        let ports = PortBox()
        return try await RunningServer.start("matrix") { onRunning in
            let responder = CallbackResponder<BasicRequestContext> { request, _ in
                let uri = request.uri.description
                log.append(ReceivedRequest(method: request.method.rawValue, uri: uri, headerFields: request.headers))
                let path = String(uri.prefix { $0 != "?" })
                let hosts = MatrixHosts(pageOrigin: pageOrigin, port: ports.port)
                guard
                    let id = caseID(of: path), let matrixCase = cases[id],
                    let fields = response(
                        for: matrixCase, method: request.method.rawValue, path: path,
                        origin: request.headers[.origin], hosts: hosts)
                else {
                    return Response(status: .notFound)
                }
                let spec = spec(for: matrixCase, method: request.method.rawValue, path: path)!
                return Response(
                    status: HTTPResponse.Status(code: spec.status), headers: fields,
                    body: .init(byteBuffer: ByteBuffer(string: spec.body)))
            }
            return Application(
                responder: responder,
                configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? 0
                    ports.port = port
                    await onRunning(port)
                },
                logger: quietLogger("matrix"))
        }
    }

    /// `ID` from `/case/ID` or `/case/ID/target`.
    static func caseID(of path: String) -> String? {
        let parts = path.split(separator: "/")
        guard parts.count >= 2, parts[0] == "case" else { return nil }
        return String(parts[1])
    }

    static func spec(for matrixCase: MatrixCase, method: String, path: String) -> ResponseSpec? {
        if method == "OPTIONS" { return matrixCase.preflight ?? ResponseSpec(204) }
        return path.hasSuffix("/target") ? matrixCase.target : matrixCase.actual
    }

    /// The header fields the server sends, placeholders replaced.
    static func response(
        for matrixCase: MatrixCase, method: String, path: String, origin: String?, hosts: MatrixHosts
    ) -> HTTPFields? {
        guard let spec = spec(for: matrixCase, method: method, path: path) else { return nil }
        var fields = HTTPFields()
        for (name, value) in spec.headers {
            let resolved = hosts.resolve(value, caseID: matrixCase.id)
                .replacingOccurrences(of: "{reflect}", with: origin ?? "")
            fields.append(HTTPField(name: HTTPField.Name(name)!, value: resolved))
        }
        if !spec.body.isEmpty, fields[.contentType] == nil {
            fields[.contentType] = "text/plain"
        }
        return fields
    }

    /// The full response, for the browser model.
    static func httpResponse(
        for matrixCase: MatrixCase, method: String, path: String, origin: String?, hosts: MatrixHosts
    ) -> HTTPResponse? {
        guard let spec = spec(for: matrixCase, method: method, path: path),
            let fields = response(for: matrixCase, method: method, path: path, origin: origin, hosts: hosts)
        else { return nil }
        return HTTPResponse(status: HTTPResponse.Status(code: spec.status), headerFields: fields)
    }
}

/// The server's own port, known once it listens.
private final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    var port: Int {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
