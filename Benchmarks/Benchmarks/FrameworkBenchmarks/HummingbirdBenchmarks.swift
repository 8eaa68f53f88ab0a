import Benchmark
import CORS
import CORSHummingbird
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded

/// Which CORS layer a Hummingbird router gets.
enum HummingbirdCORS: CaseIterable {
    /// No CORS middleware at all: the baseline.
    case none
    /// A middleware that only calls the next responder: the floor for any middleware.
    case passthrough
    /// Hummingbird's `CORSMiddleware` configured like the tutorial, reflecting the origin
    /// (`.originBased`, its default and the cheapest setting).
    case builtinOriginBased
    /// Hummingbird's `CORSMiddleware` with the tutorial's two origins (`.oneOf`).
    case builtinOneOf
    /// swift-cors' `CORSPolicyMiddleware` with the tutorial's policy.
    case ours
    /// The same without swift-metrics recording (two clock reads and two no-op instruments).
    case oursWithoutMetrics

    /// The benchmark name's suffix (no spaces: see EngineBenchmarks.swift).
    var label: String {
        switch self {
        case .none: "no-cors"
        case .passthrough: "passthrough-middleware"
        case .builtinOriginBased: "builtin-originBased"
        case .builtinOneOf: "builtin-oneOf"
        case .ours: "swift-cors"
        case .oursWithoutMetrics: "swift-cors-no-metrics"
        }
    }
}

/// A router built the way an application builds it, and what `respond(to:context:)` needs: the
/// request is built once (it is a value; nothing in the router mutates it) and so is the context,
/// over a testing channel as HummingbirdTesting's router client does.
struct HummingbirdFixture: Sendable {
    let responder: RouterResponder<BasicRequestContext>
    let context: BasicRequestContext
    let get: Request
    let preflight: Request

    static let meBody = ByteBuffer(string: Tutorial.meBody)
    static let requestIDName = HTTPField.Name("X-Request-Id")!

    init(cors: HummingbirdCORS) {
        let router = Router()
        switch cors {
        case .none:
            break
        case .passthrough:
            router.add(middleware: HummingbirdPassthroughMiddleware())
        case .builtinOriginBased:
            router.add(middleware: Self.builtin(allowOrigin: .originBased))
        case .builtinOneOf:
            router.add(
                middleware: Self.builtin(allowOrigin: .oneOf(Tutorial.origins[0], Tutorial.origins[1])))
        case .ours:
            router.add(middleware: CORSPolicyMiddleware(policy: .tutorial))
        case .oursWithoutMetrics:
            router.add(middleware: CORSPolicyMiddleware(policy: .tutorial, recordsMetrics: false))
        }
        router.get("me") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json", Self.requestIDName: Tutorial.requestID],
                body: .init(byteBuffer: Self.meBody))
        }
        responder = router.buildResponder()
        var logger = Logger(label: "benchmark.hummingbird")
        logger.logLevel = .warning
        context = BasicRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: logger))
        get = Self.request(.get, Tutorial.getFields)
        preflight = Self.request(.options, Tutorial.preflightFields)
    }

    static func builtin(
        allowOrigin: CORSMiddleware<BasicRequestContext>.AllowOriginExtended
    ) -> CORSMiddleware<BasicRequestContext> {
        CORSMiddleware(
            allowOrigin: allowOrigin,
            allowHeaders: [.authorization, .contentType],
            allowMethods: [.get, .post, .put, .delete],
            allowCredentials: true,
            exposedHeaders: ["X-Request-Id"],
            maxAge: .seconds(600))
    }

    static func request(_ method: HTTPRequest.Method, _ fields: [(String, String)]) -> Request {
        var headerFields = HTTPFields()
        // Hummingbird's HTTP/1 channel turns `Host` into the request's authority.
        for (name, value) in fields where name != "Host" {
            headerFields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
        }
        let head = HTTPRequest(
            method: method, scheme: "http", authority: "api.example.com", path: "/me", headerFields: headerFields)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer()))
    }

    /// Responds to `request` `count` times, as the server's connection handler would.
    func respond(to request: Request, count: Int) async throws {
        for _ in 0..<count {
            blackHole(try await responder.respond(to: request, context: context))
        }
    }
}

func registerHummingbirdBenchmarks() {
    for cors in HummingbirdCORS.allCases {
        let fixture = HummingbirdFixture(cors: cors)
        Benchmark("hummingbird-get-me-\(cors.label)") { benchmark in
            try await fixture.respond(to: fixture.get, count: benchmark.scaledIterations.count)
        }
        // Without a CORS layer a preflight is an OPTIONS request for a route that has none: a 404
        // error, not an answer worth timing.
        if cors != .none && cors != .passthrough {
            Benchmark("hummingbird-preflight-\(cors.label)") { benchmark in
                try await fixture.respond(to: fixture.preflight, count: benchmark.scaledIterations.count)
            }
        }
    }
}

/// Calls the next responder and nothing else.
private struct HummingbirdPassthroughMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await next(request, context)
    }
}
