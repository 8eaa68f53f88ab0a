import AsyncHTTPClient
import Foundation
import CORS
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// The request context of the proxy: the client's address, for `X-Forwarded-For`.
struct ProxyRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's IP address.
    let clientAddress: String?
    /// The port the proxy accepted the connection on.
    let localPort: Int

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
        localPort = source.channel.localAddress?.port ?? 0
    }
}

/// Forwards each request to its route's upstream, streaming both bodies, and (in policy mode)
/// answers preflights and sets the policy's CORS fields on every response — the upstream's
/// errors and the proxy's own 502, 504 and 404 included.
struct ProxyResponder: HTTPResponder {
    typealias Context = ProxyRequestContext

    let settings: ProxySettings
    let client: HTTPClient
    /// With `--keep-upstream-cors`, where disagreements are reported.
    let comparison: UpstreamCORSComparison?

    func respond(to request: Request, context: Context) async throws -> Response {
        let head = request.head
        let path = head.path ?? "/"
        let decided = settings.policy.map { source in
            source.engine(forPath: { Self.withoutQuery(path) }).decide(head)
        }
        // In report-only mode the policy changes nothing: the proxy's own answers carry no
        // CORS fields either, as the upstream's would not if it could not be reached.
        let decision = settings.reportOnly == nil ? decided : nil
        if let decision, decision.isPreflight, !settings.keepsUpstreamCORS {
            return Response(status: decision.preflightStatus, headers: decision.preflightHeaderFields)
        }
        guard path.hasPrefix("/"), let route = settings.routes.route(for: path) else {
            return proxyAnswer(.notFound, "cors proxy: no route serves \(path)\n", decision: decision)
        }
        let proxyAuthority = head.authority ?? "\(settings.listenHost):\(context.localPort)"
        var outgoing = HTTPClientRequest(url: route.upstreamURL(for: path))
        outgoing.method = HTTPMethod(rawValue: head.method.rawValue)
        let fields = ForwardedRequestFields.make(
            from: head.headerFields, clientAddress: context.clientAddress, route: route, hostMode: settings.hostMode,
            proxyAuthority: proxyAuthority)
        outgoing.headers.reserveCapacity(fields.count)
        for field in fields { outgoing.headers.add(name: field.name, value: field.value) }
        if let length = head.headerFields[.contentLength].flatMap(Int64.init) {
            if length > 0 { outgoing.body = .stream(request.body, length: .known(length)) }
        } else if head.headerFields[.transferEncoding] != nil {
            outgoing.body = .stream(request.body, length: .unknown)
        }

        let deadline = NIODeadline.now() + .nanoseconds(settings.upstreamTimeout.proxyNanoseconds)
        let upstream: HTTPClientResponse
        do {
            upstream = try await client.execute(outgoing, deadline: deadline)
        } catch {
            // A pooled connection the upstream closed while idle (uvicorn does after a 500) fails
            // before any answer: a request without a body can safely go once more, on a new one.
            let retried: HTTPClientResponse?
            if outgoing.body == nil, Self.gatewayFailure(error, route: route, timeout: settings.upstreamTimeout).0 == .badGateway {
                retried = try? await client.execute(outgoing, deadline: deadline)
            } else {
                retried = nil
            }
            guard let retried else {
                let (status, message) = Self.gatewayFailure(error, route: route, timeout: settings.upstreamTimeout)
                return proxyAnswer(status, message, decision: decision)
            }
            upstream = retried
        }

        var headers = HTTPFields()
        headers.reserveCapacity(upstream.headers.count + 6)
        let hopByHop = upstream.headers.contains(name: "connection") ? HopByHopFields.names(connectionValues: upstream.headers["connection"]) : HopByHopFields.names
        let rewriter = UpstreamResponseRewriter(route: route, proxyOrigin: "http://" + proxyAuthority)
        for (name, value) in upstream.headers {
            guard let fieldName = HTTPField.Name(name), !hopByHop.contains(fieldName.canonicalName) else { continue }
            var value = value
            if fieldName == .location {
                value = rewriter.rewrittenLocation(value) ?? value
            } else if fieldName == .setCookie {
                value = rewriter.rewrittenSetCookie(value) ?? value
            }
            headers.append(HTTPField(name: fieldName, value: value))
        }
        let status = HTTPResponse.Status(code: Int(upstream.status.code), reasonPhrase: upstream.status.reasonPhrase)
        if let reportOnly = settings.reportOnly, let decided {
            reportOnly.record(decided, for: head, upstreamStatus: status, upstreamFields: headers, path: Self.withoutQuery(path))
        }
        if let decision {
            if let comparison {
                comparison.compare(upstream: headers, policy: Self.policyFields(decision), request: head)
            } else {
                decision.apply(to: &headers)
            }
        }
        let body = head.method == .head ? ResponseBody() : ResponseBody(asyncSequence: upstream.body)
        return Response(status: status, headers: headers, body: body)
    }

    /// A response the proxy makes itself, with the policy's CORS fields so that the page can
    /// read it (a 502 is then a 502 in the page, not a CORS error).
    private func proxyAnswer(_ status: HTTPResponse.Status, _ message: String, decision: CORSDecision?) -> Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8", .contentLength: String(message.utf8.count)]
        if let decision {
            if decision.isPreflight {
                // Only with --keep-upstream-cors does a preflight get here: the upstream failed,
                // so the policy answers.
                return Response(status: decision.preflightStatus, headers: decision.preflightHeaderFields)
            }
            decision.apply(to: &headers)
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message)))
    }

    /// The fields the policy sends for `decision`.
    static func policyFields(_ decision: CORSDecision) -> HTTPFields {
        if decision.isPreflight { return decision.preflightHeaderFields }
        var fields = HTTPFields()
        decision.apply(to: &fields)
        return fields
    }

    /// 504 when the upstream did not answer in time, 502 for any other failure.
    static func gatewayFailure(_ error: any Error, route: ProxyRoute, timeout: Duration) -> (HTTPResponse.Status, String) {
        if let error = error as? HTTPClientError,
            [.deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout].contains(error)
        {
            return (.gatewayTimeout, "cors proxy: the upstream \(route.upstream) did not answer within \(timeout)\n")
        }
        return (.badGateway, "cors proxy: the upstream \(route.upstream) is unreachable (\(describe(error)))\n")
    }

    /// A short cause: "connection refused", not NIO's whole error.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        if text.localizedCaseInsensitiveContains("reset") { return "connection reset" }
        if let error = error as? HTTPClientError, error == .remoteConnectionClosed { return "connection closed before a response" }
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    static func withoutQuery(_ path: String) -> String {
        guard let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return path }
        return String(path[..<query])
    }
}
