import CORS
import CORSHummingbird
import Foundation
import HTTPTypes
import Hummingbird
import Testing
import Vapor
import Logging

@testable import CORSCommandLine
import CORSTestSupport

/// A zoo of deliberately misconfigured CORS servers, one per path prefix, each the kind of
/// check people really write. `cors scan` must find each class with the right code and
/// severity — and find nothing on servers that use this project's middleware.
@Suite("cors scan against misconfigured servers", .serialized)
struct ScanZooTests {
    static let trustedOrigin = "https://app.example.test"
    static let sessionCookie = "session=1; Path=/; SameSite=None; Secure; HttpOnly"

    /// How a zoo server decides whether to grant an origin.
    enum Behaviour: String, CaseIterable, Sendable {
        case reflect, reflectLaxCookie, reflectNoCredentials, null, prefix, suffix, unescapedDot, httpTrusted
        case anySubdomain, underscoreParser, thirdParty, wildcard, wildcardCredentials, noVary, redirectPreflight
        case mirrorHeaders, authBeforeCORS, refusesUnknownHeaders

        func grants(_ origin: String) -> Bool {
            let trusted = ScanZooTests.trustedOrigin
            switch self {
            case .reflect, .reflectLaxCookie, .reflectNoCredentials: return true
            case .null: return origin == "null" || origin == trusted
            case .prefix: return origin.hasPrefix(trusted)
            case .suffix: return origin.hasSuffix("example.test")
            case .unescapedDot:
                return origin.range(of: "^https://app.example.test$", options: .regularExpression) != nil
            case .httpTrusted: return origin == trusted || origin == "http://app.example.test"
            case .anySubdomain:
                return origin.range(of: #"^https://([a-z0-9-]+\.)*example\.test$"#, options: .regularExpression) != nil
            case .underscoreParser:
                // A home-made parser that stops reading the host at the first character it does not expect.
                let cut = origin.prefix { $0 != "_" && $0 != "`" && $0 != "%" }
                return cut == trusted
            case .thirdParty: return origin == trusted || origin.hasSuffix(".github.io") || origin == "https://codepen.io"
            case .wildcard, .wildcardCredentials: return true
            case .noVary, .redirectPreflight, .mirrorHeaders, .authBeforeCORS, .refusesUnknownHeaders: return origin == trusted
            }
        }

        var credentials: Bool { self != .reflectNoCredentials && self != .wildcard }
    }

    struct Zoo: RouterMiddleware {
        typealias Context = BasicRequestContext
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            let segments = request.uri.path.split(separator: "/")
            guard let first = segments.first, let behaviour = Behaviour(rawValue: String(first)) else {
                return Response(status: .notFound)
            }
            let origin = request.headers[.origin]
            let isPreflight = request.method == .options && request.headers[.accessControlRequestMethod] != nil
            if isPreflight && behaviour == .redirectPreflight {
                return Response(status: .movedPermanently, headers: [.location: "https://api.example.test\(request.uri.path)"])
            }
            // Authentication runs first and refuses the preflight, which carries no credentials.
            if isPreflight && behaviour == .authBeforeCORS {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers.append(
                HTTPField(name: .setCookie, value: behaviour == .reflectLaxCookie ? "session=1; Path=/; SameSite=Lax" : ScanZooTests.sessionCookie))
            if behaviour != .noVary { headers[.vary] = "Origin" }
            if let origin, behaviour.grants(origin) {
                let wildcard = behaviour == .wildcard || behaviour == .wildcardCredentials
                headers[.accessControlAllowOrigin] = wildcard ? "*" : origin
                if behaviour.credentials { headers[.accessControlAllowCredentials] = "true" }
                if isPreflight {
                    headers[.accessControlAllowMethods] =
                        behaviour == .mirrorHeaders ? request.headers[.accessControlRequestMethod] ?? "" : "GET, POST, PUT"
                    headers[.accessControlAllowHeaders] =
                        behaviour == .mirrorHeaders ? request.headers[.accessControlRequestHeaders] ?? "" : "Content-Type"
                }
            }
            // Starlette's way: a granted origin asking for a header not allowed gets 400, CORS headers and all.
            if isPreflight && behaviour == .refusesUnknownHeaders,
                let asked = request.headers[.accessControlRequestHeaders],
                asked.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() != "content-type" })
            {
                return Response(status: .badRequest, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "Disallowed CORS headers")))
            }
            // A 204 must not have a body: sending one breaks the connection's framing.
            if isPreflight { return Response(status: .noContent, headers: headers) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
    }

    static func zooRouter() -> Hummingbird.Router<BasicRequestContext> {
        let router = Hummingbird.Router()
        router.add(middleware: Zoo())
        return router
    }

    /// Scans `/<behaviour>/me` on the zoo under the name api.example.test, as `--resolve` would.
    static func scan(_ behaviour: Behaviour, on server: CheckServer) async throws -> TargetReport {
        let target = try #require(ScanTarget("http://api.example.test:\(server.port)/\(behaviour.rawValue)/me"))
        return try await LiveHTTPClient.withClient(timeout: .seconds(30), dnsOverride: ["api.example.test": "127.0.0.1"]) { client in
            let scanner = TargetScanner(
                exchanger: client, throttle: RequestThrottle(rate: nil), trustedOrigins: [trustedOrigin],
                maximumRequests: 400, generator: ProbeGenerator(token: "zoo42"))
            return await scanner.scan(target)
        }
    }

    static func summary(_ report: TargetReport) -> [String] {
        report.findings.map { "\($0.severity.rawValue) \($0.code.rawValue)" }
    }

    @Test(arguments: [
        (Behaviour.reflect, "high origin-reflection"),
        (.reflectLaxCookie, "medium origin-reflection"),
        (.reflectNoCredentials, "low origin-reflection"),
        (.null, "high null-origin"),
        (.prefix, "high prefix-match"),
        (.suffix, "high suffix-match"),
        (.unescapedDot, "high unescaped-dot"),
        (.httpTrusted, "medium http-origin-trusted"),
        (.anySubdomain, "medium any-subdomain"),
        (.underscoreParser, "high special-characters"),
        (.thirdParty, "high third-party-origin"),
        (.wildcard, "info wildcard"),
        (.wildcardCredentials, "info wildcard-with-credentials"),
        (.noVary, "medium missing-vary-origin"),
        (.redirectPreflight, "info preflight-redirect"),
        (.mirrorHeaders, "medium reflects-requested-headers"),
        (.authBeforeCORS, "info preflight-not-ok"),
    ])
    func findsEachClassWithItsSeverity(behaviour: Behaviour, expected: String) async throws {
        try await withCheckServer(Self.zooRouter()) { server in
            let report = try await Self.scan(behaviour, on: server)
            #expect(report.failure == nil)
            #expect(Self.summary(report).contains(expected), "\(behaviour): \(report.findings.map { "\($0.code) \($0.probeOrigin ?? "")" }) notes: \(report.notes)")
            #expect(report.trustedOrigins == [Self.trustedOrigin])
            for finding in report.findings {
                #expect(!finding.explanation.isEmpty && !finding.fix.isEmpty)
                #expect(!finding.evidence.isEmpty)
            }
        }
    }

    @Test func aStrictAllowListFindsOnlyWhatItShould() async throws {
        try await withCheckServer(Self.zooRouter()) { server in
            // The exact-match server with Vary is correct: only the probes it was built to refuse.
            let report = try await Self.scan(.unescapedDot, on: server)
            #expect(Self.summary(report) == ["high unescaped-dot"])
            let reflectionEvidence = try #require(report.findings.first?.evidence.first)
            #expect(reflectionEvidence.origin == "https://appxexample.test")
            #expect(reflectionEvidence.headers["Access-Control-Allow-Origin"] == "https://appxexample.test")
            #expect(reflectionEvidence.setCookies == [Self.sessionCookie])
        }
    }

    @Test("A 4xx preflight that still grants the origin (Starlette's refusal of an unknown header) is a note, not a finding")
    func deliberateRefusalIsANote() async throws {
        try await withCheckServer(Self.zooRouter()) { server in
            let report = try await Self.scan(.refusesUnknownHeaders, on: server)
            #expect(Self.summary(report) == [], "\(report.findings.map(\.code))")
            #expect(report.notes.contains { $0.hasPrefix("a preflight asking for a header the API does not allow got 400 with the CORS headers") }, "\(report.notes)")
        }
    }

    static let strictPolicy = try! CORSPolicy(
        allowOrigins: [trustedOrigin], allowCredentials: true, allowMethods: ["GET", "PUT", "DELETE"],
        allowHeaders: ["Authorization", "Content-Type"], exposeHeaders: ["X-Request-Id"], maxAge: 600)

    @Test func thisProjectsHummingbirdMiddlewareWithAStrictPolicyHasNoFinding() async throws {
        let server = try await CheckServer.startDemo(policy: Self.strictPolicy)
        let report = try await Self.scanStrict(port: server.port)
        await server.stop()
        #expect(report.failure == nil)
        #expect(Self.summary(report) == [])
        #expect(report.requests > 60)
    }

    @Test func thisProjectsVaporMiddlewareWithAStrictPolicyHasNoFinding() async throws {
        var logger = Logger(label: "scan-tests.vapor")
        logger.logLevel = .critical
        let app = try await Vapor.Application.make(Environment(name: "testing", arguments: ["scan-tests"]), logger: logger)
        configureVaporDemoAPI(app, policy: Self.strictPolicy)
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try #require(app.http.server.shared.localAddress?.port)
        let report = try await Self.scanStrict(port: port)
        await app.server.shutdown()
        try await app.asyncShutdown()
        #expect(report.failure == nil)
        #expect(Self.summary(report) == [])
        #expect(report.requests > 60)
    }

    static func scanStrict(port: Int) async throws -> TargetReport {
        let target = try #require(ScanTarget("http://api.example.test:\(port)/me"))
        return try await LiveHTTPClient.withClient(timeout: .seconds(30), dnsOverride: ["api.example.test": "127.0.0.1"]) { client in
            await TargetScanner(
                exchanger: client, throttle: RequestThrottle(rate: nil), trustedOrigins: [Self.trustedOrigin],
                maximumRequests: 400, generator: ProbeGenerator(token: "zoo42")
            ).scan(target)
        }
    }

    @Test func probesAreDerivedFromTheTrustedOriginNotOnlyTheTarget() throws {
        let target = try #require(ScanTarget("https://api.example.com/me"))
        let trusted = try #require(TargetScanner.base("https://app.example.net"))
        let probes = ProbeGenerator(token: "t0k3n").probes(for: target, trusted: [trusted]).map(\.origin)
        for expected in [
            "https://cors-probe-t0k3n.com", "null", "https://app.example.net.cors-probe-t0k3n.com",
            "https://evilexample.net", "https://xample.net", "https://appxexample.net",
            "https://app.example.net_.cors-probe-t0k3n.com", "https://cors-probe-t0k3n.example.net",
            "http://app.example.net", "https://t0k3n.github.io",
            "https://api.example.com.cors-probe-t0k3n.com", "https://evilexample.com", "http://api.example.com",
        ] {
            #expect(probes.contains(expected), "missing \(expected)")
        }
        #expect(!probes.contains("https://app.example.net"))
        #expect(Set(probes).count == probes.count)
    }
}

@Suite("cors scan command line", .serialized)
struct ScanCommandLineTests {
    @Test func jsonSarifAndExitCodes() async throws {
        try await withCheckServer(ScanZooTests.zooRouter()) { server in
            let sarif = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID()).sarif").path
            defer { try? FileManager.default.removeItem(atPath: sarif) }
            let run = try await CORSExecutable.run([
                "scan", "http://api.example.test:\(server.port)/reflect/me", "--resolve",
                "api.example.test:\(server.port):127.0.0.1", "--trusted-origin", ScanZooTests.trustedOrigin, "--json",
                "--sarif", sarif, "--max-requests", "400",
            ])
            #expect(run.status == 1)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
            let targets = try #require(document["targets"] as? [[String: Any]])
            #expect(targets.count == 1)
            let findings = try #require(targets[0]["findings"] as? [[String: Any]])
            let reflection = try #require(findings.first { $0["code"] as? String == "origin-reflection" })
            #expect(reflection["severity"] as? String == "high")
            #expect((reflection["probeOrigin"] as? String)?.hasPrefix("http://cors-probe-") == true)
            #expect(Set(reflection.keys) == ["code", "severity", "probeOrigin", "evidence", "explanation", "fix"])

            let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any])
            #expect(log["version"] as? String == "2.1.0")
            let runs = try #require(log["runs"] as? [[String: Any]])
            let results = try #require(runs.first?["results"] as? [[String: Any]])
            #expect(results.contains { $0["ruleId"] as? String == "origin-reflection" && $0["level"] as? String == "error" })

            let lenient = try await CORSExecutable.run([
                "scan", "http://api.example.test:\(server.port)/wildcard/me", "--resolve",
                "api.example.test:\(server.port):127.0.0.1", "--fail-on", "high",
            ])
            #expect(lenient.status == 0, "\(lenient.standardOutput)")
            #expect(lenient.standardOutput.contains("info      wildcard"))
        }
    }

    @Test func unreachableTargetExitsTwoWithOneLine() async throws {
        let closed = try CheckSilentSocket(listening: false)
        let run = try await CORSExecutable.run(["scan", "http://127.0.0.1:\(closed.port)/me", "--timeout", "3"])
        #expect(run.status == 2)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("cors: cannot reach http://127.0.0.1:\(closed.port)/me: connection refused") == true)
    }

    @Test func badUsageExitsTwo() async throws {
        for arguments in [["scan"], ["scan", "ftp://example.com"], ["scan", "http://a.test/", "--resolve", "b.test:80:127.0.0.1"]] {
            let run = try await CORSExecutable.run(arguments)
            #expect(run.status == 2, "\(arguments)")
        }
    }
}
