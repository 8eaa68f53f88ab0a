import AsyncHTTPClient
import CORS
import CORSTestSupport
import Foundation
import NIOCore
import Testing

/// nginx's `proxy_cache` in front of the demo API (Hummingbird and Vapor), caching everything it
/// can for ten minutes: replaying requests from different origins through it, no client ever
/// receives another origin's `Access-Control-Allow-Origin`, and every client gets exactly what the
/// API answers it directly — because the API sends `Vary: Origin` on every origin-dependent
/// response, and nginx keys its variants on it. The same replay against an API that forgets
/// `Vary` shows the poisoning, so the check can fail.
///
/// nginx must be installed (Debian's nginx-light; Scripts/test.sh installs it): without it these
/// tests fail, they never skip.
@Suite("A real shared cache (nginx proxy_cache) in front of the API")
struct SharedCacheTests {
    static let trustedA = "https://app.example.com"
    static let trustedB = "http://localhost:5173"
    static let untrusted = "https://evil.example.net"

    /// A client of the cache: the `Origin` it sends, if any.
    typealias Client = String?

    static let sequences: [(name: String, clients: [Client])] = [
        ("trusted A, then trusted B", [trustedA, trustedB]),
        ("trusted A, then an untrusted origin", [trustedA, untrusted]),
        ("trusted A, then no Origin", [trustedA, nil]),
        ("no Origin, then trusted A", [nil, trustedA]),
        ("an untrusted origin, then trusted A", [untrusted, trustedA]),
        ("trusted A twice", [trustedA, trustedA]),
        ("a long mix", [trustedB, untrusted, nil, trustedA, trustedA, trustedB, nil, untrusted, trustedA]),
    ]

    /// What one client received through the cache, next to what the API answers it directly.
    struct Observation: Sendable, CustomStringConvertible {
        var sequence: String
        var path: String
        var index: Int
        var origin: Client
        var status: Int
        var allowOrigin: String?
        var directAllowOrigin: String?
        var cacheStatus: String?
        var vary: String?

        /// The client got an `Access-Control-Allow-Origin` naming an origin other than its own.
        var receivesAnotherOrigin: Bool {
            guard let allowOrigin, allowOrigin != "*" else { return false }
            return allowOrigin != origin
        }

        var description: String {
            "\(sequence) \(path) #\(index + 1) Origin \(origin ?? "(none)"): \(status), Allow-Origin \(allowOrigin ?? "(none)") "
                + "(direct: \(directAllowOrigin ?? "(none)")), cache \(cacheStatus ?? "?"), Vary \(vary ?? "(none)")"
        }
    }

    // MARK: Tests

    @Test("the demo API on Hummingbird: no client ever receives another origin's Allow-Origin")
    func hummingbirdDemo() async throws {
        let observations = try await withHangGuard("the nginx replay against the Hummingbird demo") {
            try await Self.replay { try await UpstreamServer.hummingbirdDemo(policy: .tutorial) }
        }
        Self.expectNoPoisoning(observations)
    }

    @Test("the demo API on Vapor: no client ever receives another origin's Allow-Origin")
    func vaporDemo() async throws {
        let observations = try await withHangGuard("the nginx replay against the Vapor demo") {
            try await Self.replay { try await UpstreamServer.vaporDemo(policy: .tutorial) }
        }
        Self.expectNoPoisoning(observations)
    }

    @Test("an API without Vary: the same replay shows the cache poisoning")
    func varylessServerIsPoisoned() async throws {
        let observations = try await withHangGuard("the nginx replay against the Vary-less API") {
            try await Self.replay { try await UpstreamServer.varyless(trusting: [Self.trustedA, Self.trustedB]) }
        }
        // The check that passes for the demo API fails here.
        #expect(!Self.poisoning(in: observations).isEmpty, "the Vary-less API was not poisoned: the check cannot fail\n\(Self.table(observations))")
        // The expected victims: B gets A's grant; an untrusted origin and a request without
        // Origin get A's grant — on the 200 and on the 404 alike, each from the cache.
        for path in ["200", "404"] {
            for sequence in ["trusted A, then trusted B", "trusted A, then an untrusted origin", "trusted A, then no Origin"] {
                let victim = observations.first { $0.sequence == sequence && $0.path == path && $0.index == 1 }
                #expect(victim?.allowOrigin == Self.trustedA, "\(victim.map(String.init(describing:)) ?? "missing")")
                #expect(victim?.cacheStatus == "HIT", "\(victim.map(String.init(describing:)) ?? "missing")")
            }
        }
    }

    // MARK: Replaying

    /// Starts nginx in front of `upstream`, replays every sequence on a 200 and a 404 (each on its
    /// own URL, so that sequences do not share cache entries), and stops everything.
    static func replay(upstream start: () async throws -> UpstreamServer) async throws -> [Observation] {
        let upstream = try await start()
        let nginx: NginxCache
        do {
            nginx = try await NginxCache.start(upstreamPort: upstream.port)
        } catch {
            await upstream.stop()
            throw error
        }
        do {
            var observations: [Observation] = []
            for (number, sequence) in sequences.enumerated() {
                for (label, path) in [("200", "/me?replay=\(number)"), ("404", "/missing-\(number)")] {
                    for (index, origin) in sequence.clients.enumerated() {
                        let cached = try await get(nginx.baseURL + path, origin: origin)
                        let direct = try await get(upstream.baseURL + path, origin: origin)
                        #expect(
                            cached.status == (label == "200" ? 200 : 404),
                            "\(upstream.name): \(path) answered \(cached.status) through nginx")
                        observations.append(
                            Observation(
                                sequence: sequence.name, path: label, index: index, origin: origin, status: cached.status,
                                allowOrigin: cached.allowOrigin, directAllowOrigin: direct.allowOrigin,
                                cacheStatus: cached.cacheStatus, vary: cached.vary))
                    }
                }
            }
            await nginx.stop()
            await upstream.stop()
            return observations
        } catch {
            await nginx.stop()
            await upstream.stop()
            throw error
        }
    }

    struct Answer {
        var status: Int
        var allowOrigin: String?
        var cacheStatus: String?
        var vary: String?
    }

    static func get(_ url: String, origin: String?) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        if let origin { request.headers.add(name: "Origin", value: origin) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        let allowOrigin = response.headers["Access-Control-Allow-Origin"]
        let vary = response.headers["Vary"]
        return Answer(
            status: Int(response.status.code), allowOrigin: allowOrigin.isEmpty ? nil : allowOrigin.joined(separator: ", "),
            cacheStatus: response.headers.first(name: "X-Cache-Status"), vary: vary.isEmpty ? nil : vary.joined(separator: ", "))
    }

    // MARK: Expectations

    /// Every client that received another origin's Allow-Origin, or anything else than the API
    /// answers it directly.
    static func poisoning(in observations: [Observation]) -> [Observation] {
        observations.filter { $0.receivesAnotherOrigin || $0.allowOrigin != $0.directAllowOrigin }
    }

    static func expectNoPoisoning(_ observations: [Observation], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(observations.count == 2 * sequences.reduce(0) { $0 + $1.clients.count }, sourceLocation: sourceLocation)
        #expect(
            poisoning(in: observations).isEmpty, "the cache served a client another answer than the API's:\n\(table(observations))",
            sourceLocation: sourceLocation)
        #expect(observations.allSatisfy { $0.vary?.localizedCaseInsensitiveContains("origin") == true }, sourceLocation: sourceLocation)
        // The test means something only if nginx really caches these responses.
        for path in ["200", "404"] {
            let repeated = observations.first { $0.sequence == "trusted A twice" && $0.path == path && $0.index == 1 }
            #expect(
                repeated?.cacheStatus == "HIT", "nginx did not cache the \(path):\n\(table(observations))",
                sourceLocation: sourceLocation)
        }
    }

    static func table(_ observations: [Observation]) -> String {
        observations.map(\.description).joined(separator: "\n")
    }
}
