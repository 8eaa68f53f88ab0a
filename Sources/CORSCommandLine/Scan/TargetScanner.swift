import Foundation
import CORS
import CORSBrowserModel
import HTTPTypes
import CORSWebSyntax

/// What a scan of one target found.
struct TargetReport: Sendable, Hashable {
    var url: String
    var requests: Int
    /// The origins the API was found (or said) to trust, which the probes were derived from.
    var trustedOrigins: [String]
    var findings: [ScanFinding]
    /// Things worth knowing that are not findings: the request cap was hit, a probe timed out…
    var notes: [String]
    /// Set when the target could not be reached at all.
    var failure: String?
    /// The methods the route was seen to have (from `Allow`, a 405, or a request that succeeded).
    var routeMethods: [String] = []
    /// The method the preflights asked for: one the route has.
    var preflightMethod: String = "GET"
    /// The stack the responses point to, if any (`nginx (Server: nginx/1.22.1)`).
    var stack: String? = nil
}

/// One request sent during a scan and its answer.
struct Observation: Sendable, Hashable {
    enum Kind: String, Sendable, Hashable { case get = "GET", preflight, other }

    /// Why the request was sent, which decides how it is judged.
    enum Purpose: Sendable, Hashable {
        /// The first request, without `Origin`.
        case baseline
        /// A GET from a trusted (given or candidate) origin.
        case trusted
        /// A preflight from a trusted origin for a method the route has: what the frontend sends.
        case functionalPreflight
        /// A preflight from a trusted origin asking for Authorization and a header nobody allows.
        case mirrorPreflight
        /// A request from a trusted origin that should fail (404, 405, 400/422).
        case errorProbe(String)
        /// A CR LF smuggled into a field the server may echo.
        case crlf
        /// The first and second request of the shared-cache test.
        case cacheFirst, cacheSecond
        /// An untrusted probe origin.
        case probe
    }

    var kind: Kind
    var purpose: Purpose
    var origin: String?
    var probe: Probe?
    var isTrustedOrigin: Bool
    /// The request method on the wire and the path it was sent to.
    var method: String = "GET"
    var target: String = "/"
    /// The `Access-Control-Request-Method` a preflight asked for.
    var requestedMethod: String? = nil
    /// The request fields that matter for the evidence.
    var requestFields: [String: String] = [:]
    var response: HTTPExchangeResponse

    var allowOrigin: String? {
        let values = response.headerFields[values: .accessControlAllowOrigin]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    var allowsCredentials: Bool {
        response.headerFields[.accessControlAllowCredentials] == "true"
    }

    /// Whether the browser would grant `origin` (byte-exact, as the CORS check compares).
    var grantsOrigin: Bool {
        guard let origin, response.headerFields[values: .accessControlAllowOrigin].count == 1 else { return false }
        return allowOrigin == origin
    }

    var isSuccess: Bool { (200...299).contains(response.status.code) }

    var evidence: ScanEvidence {
        let name: String
        switch kind {
        case .get: name = "GET"
        case .preflight: name = "preflight"
        case .other: name = method
        }
        return ScanEvidence(
            request: name, origin: origin, method: method, target: target, requestHeaders: requestFields, response: response)
    }
}

/// Scans one target: a baseline request, trusted origins (given or discovered), the route's
/// methods, the trusted origin's preflights and error responses, a CR LF and a shared-cache test,
/// then every probe origin; then judges what came back.
struct TargetScanner: Sendable {
    var exchanger: any HTTPExchanger
    var throttle: RequestThrottle
    var trustedOrigins: [String]
    var maximumRequests: Int
    var generator: ProbeGenerator
    /// The probes of the routes the user named (`--websocket`, `--state-changing`), sent last
    /// with the requests reserved for them; none by default.
    var guardProbes: GuardProbes? = nil

    /// Methods a frontend sends with a preflight, most telling first.
    static let preflightedMethods = ["PUT", "PATCH", "DELETE", "POST"]

    func scan(_ target: ScanTarget) async -> TargetReport {
        var report = TargetReport(url: target.url, requests: 0, trustedOrigins: [], findings: [], notes: [])
        var observations: [Observation] = []
        let token = generator.token
        let probeHeader = "x-cors-probe-\(token)"
        // The routes the user named keep their requests, whatever the origin probes need.
        let originProbeBudget = maximumRequests - (guardProbes?.routes.maximumRequests ?? 0)

        func send(
            _ kind: Observation.Kind, _ purpose: Observation.Purpose, origin: String?, probe: Probe? = nil, trusted: Bool,
            method: HTTPRequest.Method = .get, path: String? = nil, requestedMethod: String? = nil,
            requestedHeaders: String? = nil, extra: HTTPFields = [:], body: [UInt8] = []
        ) async throws(HTTPExchangeError) -> Observation? {
            guard report.requests < originProbeBudget else { return nil }
            var fields = HTTPFields()
            if let origin { fields[.origin] = origin }
            fields[.accept] = "*/*"
            var wireMethod = method
            if kind == .preflight {
                wireMethod = .options
                fields[.accessControlRequestMethod] = requestedMethod ?? "GET"
                if let requestedHeaders { fields[.accessControlRequestHeaders] = requestedHeaders }
            }
            fields.append(contentsOf: extra)
            let path = path ?? target.pathAndQuery
            let request = HTTPRequest(
                method: wireMethod, scheme: target.scheme, authority: target.authority, path: path, headerFields: fields)
            try? await throttle.acquire()
            report.requests += 1
            let response: HTTPExchangeResponse
            if !body.isEmpty, let sender = exchanger as? any HTTPBodySending {
                response = try await sender.send(request, body: body)
            } else {
                response = try await exchanger.send(request)
            }
            var shown: [String: String] = [:]
            for field in fields where field.name != .accept { shown[field.name.rawName] = field.value }
            let observation = Observation(
                kind: kind, purpose: purpose, origin: origin, probe: probe, isTrustedOrigin: trusted,
                method: wireMethod.rawValue, target: path, requestedMethod: fields[.accessControlRequestMethod],
                requestFields: shown, response: response)
            observations.append(observation)
            return observation
        }

        // 1. Baseline: can the target be reached at all? Its failure is the target's failure.
        let baseline: Observation?
        do {
            baseline = try await send(.get, .baseline, origin: nil, trusted: false)
        } catch {
            report.failure = error.description
            return report
        }

        // 2. The origins the API trusts.
        var trusted: [TrustedBase] = []
        let candidates = trustedOrigins.isEmpty ? ProbeGenerator.discoveryCandidates(for: target) : trustedOrigins
        for candidate in candidates {
            let given = !trustedOrigins.isEmpty
            guard let observation = try? await send(.get, .trusted, origin: candidate, trusted: given) else { continue }
            guard given || observation.grantsOrigin else { continue }
            if !given { observations[observations.count - 1].isTrustedOrigin = true }
            if let base = Self.base(candidate) { trusted.append(base) }
        }
        report.trustedOrigins = trusted.map(\.origin)
        let frontend = trusted.first?.origin

        // 3. The route's methods: what succeeded, `Allow`, and a 405 to a method it lacks. TRACE
        // is safe by definition (RFC 9110 §9.3.8) and is also the error probe for a 405.
        var methods: [String] = []
        if let baseline, baseline.isSuccess { methods.append("GET") }
        let methodProbe = try? await send(.other, .errorProbe("a method the route does not have"), origin: frontend, trusted: frontend != nil, method: .trace)
        for observation in [baseline, methodProbe].compactMap({ $0 }) {
            for value in observation.response.headerFields[values: .allow] {
                for token in value.split(separator: ",") {
                    let method = token.trimmingCharacters(in: .whitespaces).uppercased()
                    if !method.isEmpty, !methods.contains(method) { methods.append(method) }
                }
            }
        }
        report.routeMethods = methods
        let preflightMethod = Self.preflightedMethods.first { methods.contains($0) } ?? "GET"
        report.preflightMethod = preflightMethod

        // 4. Preflights from each trusted origin: the one the frontend sends, and one asking for
        // Authorization and a header nobody allows (does the answer mirror the request?).
        for base in trusted {
            let functional = try? await send(.preflight, .functionalPreflight, origin: base.origin, trusted: true, requestedMethod: preflightMethod)
            // Never conclude that preflights fail from one method: try the route's GET too.
            if let functional, !functional.isSuccess, !(300...399).contains(functional.response.status.code),
                !ScanJudge.isDeliberateRefusal(functional), preflightMethod != "GET"
            {
                _ = try? await send(.preflight, .functionalPreflight, origin: base.origin, trusted: true, requestedMethod: "GET")
            }
            _ = try? await send(
                .preflight, .mirrorPreflight, origin: base.origin, trusted: true, requestedMethod: preflightMethod,
                requestedHeaders: "authorization,\(probeHeader)")
        }

        if let frontend {
            // 5. Error responses for the trusted origin: a sibling path that does not exist, and a
            // malformed JSON body (`{`) when the route takes POST, which a framework that validates
            // bodies answers 400 or 422 before any handler runs. The 405 was sent above.
            _ = try? await send(.get, .errorProbe("a path that does not exist"), origin: frontend, trusted: true, path: Self.siblingPath(of: target.pathAndQuery, token: token))
            // POST counts as the route's when it was seen, or when a trusted preflight's
            // Access-Control-Allow-Methods lists it (Starlette's 405 names one route's methods only).
            let takesPost =
                methods.contains("POST")
                || observations.contains { observation in
                    observation.purpose == .functionalPreflight && observation.isSuccess
                        && ScanJudge.lists(observation.response.headerFields[.accessControlAllowMethods], "POST", caseSensitive: true)
                }
            if takesPost {
                _ = try? await send(
                    .other, .errorProbe("a malformed body"), origin: frontend, trusted: true, method: .post,
                    extra: [.contentType: "application/json"], body: Array("{".utf8))
            }

            // 6. CR LF: an encoded line break after the trusted origin, and in the requested headers.
            let injected = "%0d%0a\(probeHeader):%20injected"
            _ = try? await send(.get, .crlf, origin: frontend + injected, trusted: false)
            _ = try? await send(
                .preflight, .crlf, origin: frontend, trusted: true, requestedMethod: preflightMethod,
                requestedHeaders: "content-type\(injected)")

            // 7. A shared cache: the trusted origin, then another, on a URL of the scan's own.
            let cachePath = target.pathAndQuery + (target.pathAndQuery.contains("?") ? "&" : "?") + "cors-probe-cache=\(token)"
            if (try? await send(.get, .cacheFirst, origin: frontend, trusted: true, path: cachePath))?.grantsOrigin == true {
                let other = trusted.dropFirst().first?.origin ?? "\(target.scheme)://cors-probe-\(token).com"
                _ = try? await send(.get, .cacheSecond, origin: other, trusted: other != "\(target.scheme)://cors-probe-\(token).com", path: cachePath)
            }
        }

        // 8. Probe origins, each with a GET and a preflight; a hosting platform's preflight only
        // when its GET was granted.
        var probesSkipped = 0
        for probe in generator.probes(for: target, trusted: trusted) {
            let pair = probe.code != .hostingPlatformOrigin
            guard report.requests + (pair ? 2 : 1) <= originProbeBudget else {
                probesSkipped += 1
                continue
            }
            do {
                let get = try await send(.get, .probe, origin: probe.origin, probe: probe, trusted: false)
                if pair || get?.grantsOrigin == true {
                    _ = try await send(
                        .preflight, .probe, origin: probe.origin, probe: probe, trusted: false, requestedMethod: preflightMethod,
                        requestedHeaders: "authorization")
                }
            } catch {
                report.notes.append("probe \(probe.origin) got no answer: \(error.description)")
            }
        }
        if probesSkipped > 0 {
            report.notes.append("\(probesSkipped) probes were not sent: the per-target cap of \(maximumRequests) requests was reached (raise it with --max-requests)")
        }
        if trusted.isEmpty {
            report.notes.append(
                trustedOrigins.isEmpty
                    ? "no trusted origin was discovered (tried \(candidates.joined(separator: ", "))); pass --trusted-origin with your frontend's origin for a deeper scan"
                    : "none of the given trusted origins parsed as an origin")
        }
        let judge = ScanJudge(observations: observations, probeHeader: probeHeader, targetURL: target.url)
        report.findings = judge.findings()
        report.notes += judge.notes()
        report.stack = judge.detection.stack == nil ? nil : judge.detection.summary
        if let guardProbes, !guardProbes.routes.isEmpty {
            let guarded = await guardProbes.run(
                target: target, trusted: trusted.first?.origin, detection: judge.detection, budget: maximumRequests - report.requests)
            report.requests += guarded.requests
            report.notes += guarded.notes
            // Most severe first, the order within a severity kept.
            report.findings = (report.findings + guarded.findings).enumerated()
                .sorted { ($0.element.severity, -$0.offset) > ($1.element.severity, -$1.offset) }.map(\.element)
        }
        return report
    }

    /// `/api/me?x=1` → `/api/cors-probe-TOKEN`: the same directory, a name no route has.
    static func siblingPath(of pathAndQuery: String, token: String) -> String {
        let path = pathAndQuery.prefix { $0 != "?" }
        let directory = path.hasSuffix("/") ? String(path) : String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) + "/"
        return (directory.hasPrefix("/") ? directory : "/" + directory) + "cors-probe-\(token)"
    }

    static func base(_ origin: String) -> TrustedBase? {
        guard case .tuple(let scheme, let host, let port)? = WebOrigin(origin) else { return nil }
        return TrustedBase(
            scheme: scheme, host: host, port: port, registrableDomain: RegistrableDomain.of(host),
            origin: origin)
    }
}
