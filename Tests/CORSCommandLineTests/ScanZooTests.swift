import CORS
import CORSHummingbird
import Foundation
import HTTPTypes
import Hummingbird
import Testing
import Vapor
import Logging
import Synchronization

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
        case errorsWithoutCORS, preflightWithoutCORS, anyPort, vercelApps, trailingSlash, sharedCache, crlf
        /// aiohttp-cors: a preflight for a method the route does not have is refused (403, no CORS).
        case reflectOnGetOnlyRoute

        func grants(_ origin: String) -> Bool {
            let trusted = ScanZooTests.trustedOrigin
            switch self {
            case .reflect, .reflectLaxCookie, .reflectNoCredentials, .reflectOnGetOnlyRoute: return true
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
            case .vercelApps: return origin == trusted || origin.range(of: #"^https://[a-z0-9-]+\.vercel\.app$"#, options: .regularExpression) != nil
            case .anyPort: return origin.range(of: #"^https://app\.example\.test(:[0-9]+)?$"#, options: .regularExpression) != nil
            case .wildcard, .wildcardCredentials: return true
            case .noVary, .redirectPreflight, .mirrorHeaders, .authBeforeCORS, .refusesUnknownHeaders, .errorsWithoutCORS,
                .preflightWithoutCORS, .trailingSlash, .sharedCache, .crlf:
                return origin == trusted
            }
        }

        var credentials: Bool { self != .reflectNoCredentials && self != .wildcard }
    }

    /// What a shared cache in front of the `sharedCache` zoo stored: the first answer per URL,
    /// whatever the Origin (no `Vary`).
    static let cache = Mutex<[String: HTTPFields]>([:])

    struct Zoo: RouterMiddleware {
        typealias Context = BasicRequestContext
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            let segments = request.uri.path.split(separator: "/")
            guard let first = segments.first, let behaviour = Behaviour(rawValue: String(first)) else {
                return Response(status: .notFound)
            }
            var origin = request.headers[.origin]
            var smuggled: HTTPField?
            // A server that percent-decodes what it echoes: a CR LF becomes a line of its own on the
            // wire. Hummingbird refuses line breaks in a field, so the smuggled line is added as
            // the field the wire would have carried.
            for (index, raw) in [origin, request.headers[.accessControlRequestHeaders]].enumerated() where behaviour == .crlf {
                guard let raw else { continue }
                let decoded = raw.removingPercentEncoding ?? raw
                guard let range = decoded.range(of: "\r\n") else { continue }
                let line = decoded[range.upperBound...]
                if let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(String(line[..<colon])) {
                    smuggled = HTTPField(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                if index == 0 { origin = String(decoded[..<range.lowerBound]) }
            }
            let isPreflight = request.method == .options && request.headers[.accessControlRequestMethod] != nil
            if isPreflight && behaviour == .redirectPreflight {
                return Response(status: .movedPermanently, headers: [.location: "https://api.example.test\(request.uri.path)"])
            }
            // Authentication runs first and refuses the preflight, which carries no credentials.
            if isPreflight && behaviour == .authBeforeCORS {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
            }
            // The framework answers OPTIONS itself; the CORS layer only wraps the GET route.
            if isPreflight && behaviour == .preflightWithoutCORS {
                return Response(status: .noContent, headers: [.allow: "GET, HEAD, OPTIONS"])
            }
            if isPreflight && behaviour == .reflectOnGetOnlyRoute && request.headers[.accessControlRequestMethod] != "GET" {
                return Response(status: .forbidden, body: .init(byteBuffer: ByteBuffer(string: "CORS preflight request failed: request method is not allowed")))
            }
            let cacheKey = request.uri.description
            if behaviour == .sharedCache, !isPreflight, request.uri.query?.contains("cors-probe-cache") == true,
                let stored = ScanZooTests.cache.withLock({ $0[cacheKey] })
            {
                var headers = stored
                headers[.age] = "3"
                headers[HTTPField.Name("X-Cache")!] = "HIT"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{}")))
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers.append(
                HTTPField(name: .setCookie, value: behaviour == .reflectLaxCookie ? "session=1; Path=/; SameSite=Lax" : ScanZooTests.sessionCookie))
            if behaviour != .noVary && behaviour != .sharedCache { headers[.vary] = "Origin" }
            if let smuggled { headers.append(smuggled) }
            if let origin, behaviour.grants(origin) {
                let wildcard = behaviour == .wildcard || behaviour == .wildcardCredentials
                headers[.accessControlAllowOrigin] = wildcard ? "*" : behaviour == .trailingSlash ? origin + "/" : origin
                if behaviour.credentials { headers[.accessControlAllowCredentials] = "true" }
                if isPreflight {
                    let echoes = behaviour == .mirrorHeaders || behaviour == .reflectOnGetOnlyRoute
                    headers[.accessControlAllowMethods] =
                        echoes ? request.headers[.accessControlRequestMethod] ?? "" : "GET, POST, PUT"
                    headers[.accessControlAllowHeaders] =
                        echoes ? request.headers[.accessControlRequestHeaders] ?? "" : "Content-Type"
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
            // Errors: the CORS headers stay, except where the error page is written without them.
            let errorHeaders = behaviour == .errorsWithoutCORS ? [.contentType: "application/json"] : headers
            if segments.count < 2 || segments.last != "me" {
                return Response(status: .notFound, headers: errorHeaders, body: .init(byteBuffer: ByteBuffer(string: #"{"detail":"Not Found"}"#)))
            }
            guard request.method == .get || request.method == .head else {
                var allowed = errorHeaders
                allowed[.allow] = behaviour == .reflectOnGetOnlyRoute ? "GET, HEAD" : "GET, HEAD, PUT, DELETE"
                return Response(status: .methodNotAllowed, headers: allowed, body: .init(byteBuffer: ByteBuffer(string: #"{"detail":"Method Not Allowed"}"#)))
            }
            if behaviour == .sharedCache, request.uri.query?.contains("cors-probe-cache") == true {
                ScanZooTests.cache.withLock { $0[cacheKey] = headers }
            }
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

    /// Each misconfiguration is exactly one finding: its root cause, with its axis and severity.
    @Test(arguments: [
        (Behaviour.reflect, "high exposure origin-reflection"),
        (.reflectLaxCookie, "medium exposure origin-reflection"),
        (.reflectNoCredentials, "low exposure origin-reflection"),
        (.reflectOnGetOnlyRoute, "high exposure origin-reflection"),
        (.null, "high exposure null-origin"),
        (.prefix, "high exposure prefix-match"),
        (.suffix, "high exposure suffix-match"),
        (.unescapedDot, "high exposure unescaped-dot"),
        (.httpTrusted, "medium exposure http-origin-trusted"),
        (.anySubdomain, "medium exposure any-subdomain"),
        (.underscoreParser, "high exposure special-characters"),
        (.thirdParty, "high exposure hosting-platform-origin"),
        (.vercelApps, "high exposure hosting-platform-origin"),
        (.anyPort, "medium exposure port-reflection"),
        (.crlf, "high exposure crlf-injection"),
        (.sharedCache, "medium exposure cache-poisoning-risk"),
        (.wildcard, "info exposure wildcard"),
        (.wildcardCredentials, "low breakage wildcard-with-credentials"),
        (.noVary, "medium breakage missing-vary-origin"),
        (.redirectPreflight, "high breakage preflight-redirect"),
        (.authBeforeCORS, "high breakage preflight-not-ok"),
        (.preflightWithoutCORS, "high breakage preflight-without-cors"),
        (.errorsWithoutCORS, "medium breakage missing-cors-on-error"),
        (.trailingSlash, "high breakage invalid-allow-origin"),
    ])
    func findsEachClassAsOneFinding(behaviour: Behaviour, expected: String) async throws {
        try await withCheckServer(Self.zooRouter()) { server in
            let report = try await Self.scan(behaviour, on: server)
            #expect(report.failure == nil)
            #expect(
                report.findings.map { "\($0.severity.rawValue) \($0.axis.rawValue) \($0.code.rawValue)" } == [expected],
                "\(behaviour): \(report.findings.map { "\($0.code) \($0.probeOrigin ?? "")" }) notes: \(report.notes)")
            #expect(report.trustedOrigins == [Self.trustedOrigin])
            for finding in report.findings {
                #expect(!finding.explanation.isEmpty && !finding.fix.isEmpty)
                #expect(!finding.evidence.isEmpty)
            }
            try SARIFSchema.validate(ScanRendering.sarif([report], toolVersion: "test"))
        }
    }

    @Test("A reflection of any origin is one high finding whose evidence is every probe it granted, and whose advice is about reflection only")
    func reflectionIsOneRootCause() async throws {
        try await withCheckServer(Self.zooRouter()) { server in
            let report = try await Self.scan(.reflect, on: server)
            let finding = try #require(report.findings.first)
            #expect(report.findings.count == 1)
            #expect(finding.code == .originReflection && finding.severity == .high && finding.axis == .exposure)
            #expect(finding.probeOrigin == "http://cors-probe-zoo42.com")
            // Every probe origin of every class was granted, and is evidence of this one finding.
            #expect(Set(finding.alsoShownBy).isSuperset(of: [.nullOrigin, .prefixMatch, .suffixMatch, .unescapedDot, .specialCharacters, .anySubdomain, .portReflection, .hostingPlatformOrigin]), "\(finding.alsoShownBy)")
            #expect(finding.evidence.contains { $0.origin == "null" && $0.headers["Access-Control-Allow-Origin"] == "null" })
            #expect(finding.evidence.count >= 30)
            #expect(!finding.fix.contains("regex") && !finding.fix.contains("null") && !finding.explanation.contains("escape"))
            #expect(finding.explanation.hasPrefix("The server reflects any Origin: it granted http://cors-probe-zoo42.com, a site nobody trusts."))
        }
    }

    @Test("aiohttp-cors refuses preflights for methods the route lacks: the scan asks for GET, the route's method, and finds no broken preflight")
    func preflightsAskForAMethodTheRouteHas() async throws {
        try await withCheckServer(Self.zooRouter()) { server in
            let report = try await Self.scan(.reflectOnGetOnlyRoute, on: server)
            #expect(report.routeMethods == ["GET", "HEAD"])
            #expect(report.preflightMethod == "GET")
            #expect(!report.findings.contains { $0.code == .preflightNotOK })
            // Authorization was allowed on the probe preflight: the reflection is rated high.
            #expect(report.findings.first?.explanation.contains("the preflight allows the Authorization header") == true)
        }
    }

    @Test("Echoing the requested headers for trusted origins only (Flask-CORS, django-cors-headers) is a note, not a finding")
    func echoingRequestedHeadersForTrustedOriginsIsFine() async throws {
        try await withCheckServer(Self.zooRouter()) { server in
            let report = try await Self.scan(.mirrorHeaders, on: server)
            #expect(Self.summary(report) == [], "\(report.findings.map(\.code))")
            #expect(report.notes.contains { $0.hasPrefix("preflights from trusted origins get the requested headers echoed back") }, "\(report.notes)")
        }
    }

    @Test("The error probes: a sibling path (404), a method the route lacks (405) and a malformed body, each shown as evidence")
    func missingCORSOnErrorNamesEachError() async throws {
        try await withCheckServer(Self.zooRouter()) { server in
            let report = try await Self.scan(.errorsWithoutCORS, on: server)
            let finding = try #require(report.findings.first { $0.code == .missingCORSOnError })
            // The preflight's Access-Control-Allow-Methods lists POST: the malformed body is sent
            // too, and this route answers it 405.
            #expect(finding.evidence.map(\.status).sorted() == [404, 405, 405])
            #expect(finding.explanation.contains("405 for a malformed body (POST /errorsWithoutCORS/me)"), "\(finding.explanation)")
            #expect(finding.evidence.map(\.target).contains("/errorsWithoutCORS/cors-probe-zoo42"))
            #expect(finding.explanation.contains("404 for a path that does not exist (GET /errorsWithoutCORS/cors-probe-zoo42)"), "\(finding.explanation)")
            #expect(finding.explanation.contains("405 for a method the route does not have (TRACE /errorsWithoutCORS/me)"), "\(finding.explanation)")
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
            #expect(Set(reflection.keys) == ["code", "axis", "severity", "probeOrigin", "alsoShownBy", "fingerprint", "evidence", "explanation", "fix"])
            #expect(findings.count == 1)

            let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any])
            #expect(log["version"] as? String == "2.1.0")
            let runs = try #require(log["runs"] as? [[String: Any]])
            let results = try #require(runs.first?["results"] as? [[String: Any]])
            #expect(results.count == 1)
            let result = try #require(results.first)
            #expect(result["ruleId"] as? String == "origin-reflection" && result["level"] as? String == "error")
            let properties = try #require(result["properties"] as? [String: Any])
            #expect(properties["security-severity"] as? String == "8.1")
            #expect((properties["tags"] as? [String])?.contains("CWE-942") == true)
            let fingerprints = try #require(result["partialFingerprints"] as? [String: String])
            let location = try #require((result["locations"] as? [[String: Any]])?.first)
            #expect(location["physicalLocation"] == nil)
            let logical = try #require((location["logicalLocations"] as? [[String: Any]])?.first)
            #expect(logical["fullyQualifiedName"] as? String == "http://api.example.test:\(server.port)/reflect/me")
            let webRequest = try #require(result["webRequest"] as? [String: Any])
            #expect(webRequest["method"] as? String == "GET")
            #expect((webRequest["headers"] as? [String: String])?["Origin"] == reflection["probeOrigin"] as? String)
            let webResponse = try #require(result["webResponse"] as? [String: Any])
            #expect(webResponse["statusCode"] as? Int == 200)
            let rules = try #require((runs.first?["tool"] as? [String: Any]).flatMap { $0["driver"] as? [String: Any] }?["rules"] as? [[String: Any]])
            let rule = try #require(rules.first { $0["id"] as? String == "origin-reflection" })
            #expect(((rule["help"] as? [String: String])?["markdown"])?.contains("CWE-942") == true)
            try SARIFSchema.validate(file: sarif)

            // A second run (another random probe token) gives the same fingerprint.
            let again = try await CORSExecutable.run([
                "scan", "http://api.example.test:\(server.port)/reflect/me", "--resolve",
                "api.example.test:\(server.port):127.0.0.1", "--trusted-origin", ScanZooTests.trustedOrigin,
                "--sarif", sarif, "--max-requests", "400",
            ])
            #expect(again.status == 1)
            let rerun = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any])
            let rerunResult = try #require(((rerun["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first)
            #expect(rerunResult["partialFingerprints"] as? [String: String] == fingerprints)
            try SARIFSchema.validate(file: sarif)

            let lenient = try await CORSExecutable.run([
                "scan", "http://api.example.test:\(server.port)/wildcard/me", "--resolve",
                "api.example.test:\(server.port):127.0.0.1", "--fail-on", "high",
            ])
            #expect(lenient.status == 0, "\(lenient.standardOutput)")
            #expect(lenient.standardOutput.contains("info      exposure  wildcard"))
        }
    }

    /// Breakage fails the default `--fail-on`; each axis has its own threshold; `LEVEL` alone still
    /// means both axes.
    @Test(arguments: [
        ("redirectPreflight", [String](), Int32(1)),
        ("trailingSlash", [], 1),
        ("redirectPreflight", ["--fail-on", "exposure:high"], 0),
        ("redirectPreflight", ["--fail-on", "exposure:low,breakage:high"], 1),
        ("redirectPreflight", ["--fail-on", "high"], 1),
        ("anyPort", ["--fail-on", "high"], 0),
        ("anyPort", ["--fail-on", "exposure:medium"], 1),
        ("anyPort", ["--fail-on", "breakage:low"], 0),
        ("mirrorHeaders", [], 0),
        ("redirectPreflight", ["--fail-on", "exposure:urgent"], 2),
        ("redirectPreflight", ["--fail-on", "exposure:high,exposure:low"], 2),
    ])
    func failOnTakesBothAxes(path: String, extra: [String], status: Int32) async throws {
        try await withCheckServer(ScanZooTests.zooRouter()) { server in
            let run = try await CORSExecutable.run(
                [
                    "scan", "http://api.example.test:\(server.port)/\(path)/me", "--resolve", "api.example.test:\(server.port):127.0.0.1",
                    "--trusted-origin", ScanZooTests.trustedOrigin,
                ] + extra)
            #expect(run.status == status, "\(run)")
            if status == 2 { #expect(run.errorLines.count >= 1) }
        }
    }

    @Test("--max-requests and --rate hold for every probe, the new ones included")
    func requestBoundsHold() async throws {
        let log = CheckRequestLog()
        let router = Hummingbird.Router()
        router.add(middleware: CheckRecordingMiddleware(log: log))
        router.add(middleware: ScanZooTests.Zoo())
        try await withCheckServer(router) { server in
            let start = ContinuousClock.now
            let run = try await CORSExecutable.run([
                "scan", "http://api.example.test:\(server.port)/errorsWithoutCORS/me", "--resolve",
                "api.example.test:\(server.port):127.0.0.1", "--trusted-origin", ScanZooTests.trustedOrigin,
                "--max-requests", "12", "--rate", "10", "--json",
            ])
            let elapsed = ContinuousClock.now - start
            #expect(run.status == 1, "\(run)")
            let document = try checkParseJSON(run.standardOutput)
            let target = try #require((document["targets"] as? [[String: Any]])?.first)
            #expect(target["requests"] as? Int == 12)
            #expect(log.all.count == 12)
            // 12 requests at 10 per second take at least 1.1 s.
            #expect(elapsed >= .milliseconds(1100))
            let notes = (target["notes"] as? [String]) ?? []
            #expect(notes.contains(where: { $0.contains("per-target cap of 12 requests") }), "\(notes)")
        }
    }

    @Test("cors lint --sarif: every finding at its line and column in the policy file, schema-valid")
    func lintSARIF() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lint-sarif-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let policy = directory.appendingPathComponent("policy.json")
        try """
            {
              "allowOrigins": ["*"],
              "allowCredentials": true,
              "maxAge": 600
            }
            """.write(to: policy, atomically: true, encoding: .utf8)
        let sarif = directory.appendingPathComponent("lint.sarif").path
        let run = try await CORSExecutable.run(["lint", policy.path, "--sarif", sarif])
        #expect(run.status == 1, "\(run)")
        try SARIFSchema.validate(file: sarif)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let wildcard = try #require(results.first { $0["ruleId"] as? String == "wildcard-with-credentials" }, "\(results.map { $0["ruleId"] ?? "" })")
        #expect(wildcard["level"] as? String == "error")
        let physical = try #require(((wildcard["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "file://" + policy.path)
        let region = try #require(physical["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 2)
        #expect(region["startColumn"] as? Int == 20)
        let rules = try #require(((log["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any]).flatMap { $0["driver"] as? [String: Any] }?["rules"] as? [[String: Any]])
        let rule = try #require(rules.first { $0["id"] as? String == "wildcard-with-credentials" })
        #expect(((rule["properties"] as? [String: Any])?["tags"] as? [String])?.contains("CWE-942") == true)

        // A clean policy: an empty result list, still a valid log.
        try #"{"allowOrigins": ["https://app.example.com"]}"#.write(to: policy, atomically: true, encoding: .utf8)
        let clean = try await CORSExecutable.run(["lint", policy.path, "--sarif", sarif])
        #expect(clean.status == 0, "\(clean)")
        try SARIFSchema.validate(file: sarif)
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
