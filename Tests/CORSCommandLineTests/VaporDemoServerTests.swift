import CORS
import Foundation
import Testing
import Vapor

@testable import CORSCommandLine

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The tutorial's API on Vapor (`cors demo --framework vapor`).
@Suite("Vapor demo server")
struct VaporDemoServerTests {
    static let origin = "http://localhost:5173"

    /// Sends one request through the demo application's responder, in memory.
    static func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:]) async throws -> Response {
        let app = try await Application.make(.testing, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        configureVaporDemoAPI(app, policy: .tutorial)
        do {
            try await app.asyncBoot()
            let request = Request(
                application: app, method: method, url: URI(path: path), headers: headers, on: app.eventLoopGroup.next())
            let response = try await app.responder.current.respond(to: request).get()
            try await app.asyncShutdown()
            return response
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    @Test func meIsReadableByTheFrontend() async throws {
        let response = try await Self.send(.GET, "/me", headers: ["Origin": Self.origin])
        #expect(response.status == .ok)
        #expect(response.body.string == #"{"user":"alice"}"#)
        #expect(response.headers.first(name: "X-Request-Id")?.count == 36)
        #expect(response.headers.first(name: "Access-Control-Allow-Origin") == Self.origin)
        #expect(response.headers.first(name: "Access-Control-Allow-Credentials") == "true")
        #expect(response.headers.first(name: "Access-Control-Expose-Headers") == "X-Request-Id")
        #expect(response.headers.first(name: "Vary") == "Origin")
    }

    @Test func preflightedPutWithAuthorization() async throws {
        let response = try await Self.send(
            .OPTIONS, "/me",
            headers: [
                "Origin": Self.origin, "Access-Control-Request-Method": "PUT",
                "Access-Control-Request-Headers": "authorization, content-type",
            ])
        #expect(response.status == .noContent)
        #expect(response.headers.first(name: "Access-Control-Allow-Methods") == "GET, POST, PUT, DELETE")
        #expect(response.headers.first(name: "Access-Control-Allow-Headers") == "Authorization, Content-Type")
        #expect(response.headers.first(name: "Access-Control-Max-Age") == "600")
        let put = try await Self.send(.PUT, "/me", headers: ["Origin": Self.origin])
        #expect(put.status == .ok)
        #expect(put.body.string == #"{"user":"alice","updated":true}"#)
        let delete = try await Self.send(.DELETE, "/me", headers: ["Origin": Self.origin])
        #expect(delete.status == .noContent)
    }

    @Test func boomIsA500ThePageCanRead() async throws {
        let response = try await Self.send(.GET, "/boom", headers: ["Origin": Self.origin])
        #expect(response.status == .internalServerError)
        #expect(response.headers.first(name: "Access-Control-Allow-Origin") == Self.origin)
    }

    @Test func loginSetsBothCookiesAndCookiesEchoesTheirNames() async throws {
        let login = try await Self.send(.POST, "/login", headers: ["Origin": Self.origin])
        #expect(login.status == .noContent)
        #expect(login.headers["Set-Cookie"] == [DemoAPI.sessionCookie, DemoAPI.legacyCookie])
        let cookies = try await Self.send(.GET, "/cookies", headers: ["Origin": Self.origin, "Cookie": "session=alice; legacy=alice"])
        #expect(cookies.body.string == #"{"cookies":["legacy","session"]}"#)
        let redirect = try await Self.send(.GET, "/redirect")
        #expect(redirect.status == .found)
        #expect(redirect.headers.first(name: "Location") == "/me")
    }

    @Test func servesOnTheGivenPortUntilCancelled() async throws {
        let port = Int.random(in: 20_000..<60_000)
        let server = Task { try await runVaporDemoAPI(policy: .tutorial, host: "127.0.0.1", port: port) }
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/me")!)
        request.setValue(Self.origin, forHTTPHeaderField: "Origin")
        var response: HTTPURLResponse?
        for _ in 0..<50 where response == nil {
            response = try? await URLSession.shared.data(for: request).1 as? HTTPURLResponse
            if response == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(response?.statusCode == 200)
        #expect(response?.value(forHTTPHeaderField: "Access-Control-Allow-Origin") == Self.origin)
        server.cancel()
        try await server.value
    }
}
