import Benchmark
import CORS
import CORSVapor
import Vapor

/// Which CORS layer a Vapor application gets.
enum VaporCORS: CaseIterable {
    /// No CORS middleware at all: the baseline.
    case none
    /// A future-based `Middleware` that only calls the next responder.
    case passthrough
    /// An `AsyncMiddleware` that only calls the next responder: what Vapor's async bridge costs.
    case asyncPassthrough
    /// Vapor's `CORSMiddleware` configured like the tutorial (`.any` of its two origins), placed
    /// `at: .beginning` as Vapor's documentation asks, so that error responses get its headers.
    case builtin
    /// swift-cors' `CORSPolicyMiddleware`, installed with `app.middleware.use(corsPolicy:)`.
    case ours

    /// The benchmark name's suffix (no spaces: see EngineBenchmarks.swift).
    var label: String {
        switch self {
        case .none: "no-cors"
        case .passthrough: "passthrough-middleware"
        case .asyncPassthrough: "passthrough-async-middleware"
        case .builtin: "builtin-any"
        case .ours: "swift-cors"
        }
    }
}

/// A booted Vapor application with the tutorial's `GET /me`, and its responder — the one Vapor's
/// HTTP server calls, with the application's default middleware (route logging, errors) plus the
/// CORS layer under test.
final class VaporFixture: Sendable {
    let app: Application
    let responder: any Responder
    let loop: any EventLoop
    let quietLogger: Logger

    init(cors: VaporCORS) async throws {
        var logger = Logger(label: "benchmark.vapor")
        logger.logLevel = .warning
        quietLogger = logger
        app = try await Application.make(Environment(name: "production", arguments: ["benchmark"]), logger: logger)
        switch cors {
        case .none:
            break
        case .passthrough:
            app.middleware.use(VaporPassthroughMiddleware(), at: .beginning)
        case .asyncPassthrough:
            app.middleware.use(AsyncPassthroughMiddleware(), at: .beginning)
        case .builtin:
            let configuration = CORSMiddleware.Configuration(
                allowedOrigin: .any(Tutorial.origins),
                allowedMethods: [.GET, .POST, .PUT, .DELETE],
                allowedHeaders: [.authorization, .contentType],
                allowCredentials: true,
                cacheExpiration: 600,
                exposedHeaders: [.xRequestId])
            app.middleware.use(CORSMiddleware(configuration: configuration), at: .beginning)
        case .ours:
            app.middleware.use(corsPolicy: .tutorial)
        }
        app.get("me") { _ -> Response in
            var headers = HTTPHeaders()
            headers.contentType = .json
            headers.add(name: .xRequestId, value: Tutorial.requestID)
            return Response(status: .ok, headers: headers, body: .init(string: Tutorial.meBody))
        }
        try await app.asyncBoot()
        responder = app.responder.current
        loop = app.eventLoopGroup.next()
    }

    func shutdown() async throws {
        try await app.asyncShutdown()
    }

    /// `count` fresh requests (Vapor's requests are mutable objects: one per request, as the server
    /// makes them). Built before the measurement starts.
    func requests(_ method: HTTPMethod, _ fields: [(String, String)], count: Int) -> [Request] {
        let headers = HTTPHeaders(fields)
        return (0..<count).map { _ in
            Request(
                application: app, method: method, url: URI(path: "/me"), headersNoUpdate: headers,
                logger: quietLogger, on: loop)
        }
    }

    /// Responds to each request in turn on the event loop, one per loop tick, as Vapor's HTTP
    /// server does for a connection, and waits for the last response.
    func respondSequentially(to requests: [Request]) async throws {
        let promise = loop.makePromise(of: Void.self)
        let stepper = Stepper(requests: requests, responder: responder, loop: loop, promise: promise)
        loop.execute { stepper.step() }
        try await promise.futureResult.get()
    }
}

/// Walks through a batch of requests on one event loop. Only ever touched on that loop.
private final class Stepper: @unchecked Sendable {
    let requests: [Request]
    let responder: any Responder
    let loop: any EventLoop
    let promise: EventLoopPromise<Void>
    var index = 0

    init(requests: [Request], responder: any Responder, loop: any EventLoop, promise: EventLoopPromise<Void>) {
        self.requests = requests
        self.responder = responder
        self.loop = loop
        self.promise = promise
    }

    func step() {
        guard index < requests.count else {
            promise.succeed()
            return
        }
        let request = requests[index]
        index += 1
        responder.respond(to: request).whenComplete { result in
            switch result {
            case .success(let response):
                blackHole(response)
                // The next request in a later tick, never recursively.
                self.loop.execute { self.step() }
            case .failure(let error):
                self.promise.fail(error)
            }
        }
    }
}

/// Holds a fixture between a benchmark's setup and teardown.
private final class FixtureSlot: @unchecked Sendable {
    var fixture: VaporFixture?
}

func registerVaporBenchmarks() {
    for cors in VaporCORS.allCases {
        var cases: [(name: String, method: HTTPMethod, fields: [(String, String)])] = [
            ("vapor-get-me-\(cors.label)", .GET, Tutorial.getFields)
        ]
        // Without a CORS layer a preflight is an OPTIONS request for a route that has none: a 404.
        if cors != .none && cors != .passthrough && cors != .asyncPassthrough {
            cases.append(("vapor-preflight-\(cors.label)", .OPTIONS, Tutorial.preflightFields))
        }
        for item in cases {
            let slot = FixtureSlot()
            Benchmark(item.name) { (benchmark: Benchmark, fixture: VaporFixture) async in
                let requests = fixture.requests(item.method, item.fields, count: benchmark.scaledIterations.count)
                benchmark.startMeasurement()
                do {
                    try await fixture.respondSequentially(to: requests)
                } catch {
                    benchmark.error("\(item.name) failed: \(error)")
                }
                benchmark.stopMeasurement()
            } setup: {
                let fixture = try await VaporFixture(cors: cors)
                slot.fixture = fixture
                return fixture
            } teardown: {
                try await slot.fixture?.shutdown()
                slot.fixture = nil
            }
        }
    }
}

/// Calls the next responder and nothing else.
private struct VaporPassthroughMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request)
    }
}

/// Calls the next responder and nothing else, through Vapor's async bridge.
private struct AsyncPassthroughMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await next.respond(to: request)
    }
}
