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
}

/// One request sent during a scan and its answer.
struct Observation: Sendable, Hashable {
    enum Kind: String, Sendable, Hashable { case get = "GET", preflight }
    var kind: Kind
    var origin: String?
    var probe: Probe?
    var isTrustedOrigin: Bool
    /// The `Access-Control-Request-Method` a preflight asked for.
    var requestedMethod: String? = nil
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

    var evidence: ScanEvidence {
        ScanEvidence(request: kind == .get ? "GET" : "preflight", origin: origin, response: response)
    }
}

/// Scans one target: a baseline request, trusted origins (given or discovered), then every
/// probe with a GET and a preflight; then judges what came back.
struct TargetScanner: Sendable {
    var exchanger: any HTTPExchanger
    var throttle: RequestThrottle
    var trustedOrigins: [String]
    var maximumRequests: Int
    var generator: ProbeGenerator
    /// The method and headers a probe preflight asks for: a header nobody allows on purpose,
    /// and Authorization, whose acceptance decides severity.
    var probeMethod = "PUT"

    func scan(_ target: ScanTarget) async -> TargetReport {
        var report = TargetReport(url: target.url, requests: 0, trustedOrigins: [], findings: [], notes: [])
        var observations: [Observation] = []
        let probeHeader = "x-cors-probe-\(generator.token)"

        func send(
            _ kind: Observation.Kind, origin: String?, probe: Probe?, trusted: Bool, method requestedMethod: String? = nil
        ) async throws(HTTPExchangeError) -> Observation? {
            guard report.requests < maximumRequests else { return nil }
            var fields = HTTPFields()
            if let origin { fields[.origin] = origin }
            fields[.accept] = "*/*"
            var method = HTTPRequest.Method.get
            if kind == .preflight {
                method = .options
                if let requestedMethod {
                    fields[.accessControlRequestMethod] = requestedMethod
                } else {
                    fields[.accessControlRequestMethod] = probeMethod
                    fields[.accessControlRequestHeaders] = "authorization,\(probeHeader)"
                }
            }
            let request = HTTPRequest(
                method: method, scheme: target.scheme, authority: target.authority, path: target.pathAndQuery,
                headerFields: fields)
            try? await throttle.acquire()
            report.requests += 1
            let response = try await exchanger.send(request)
            let observation = Observation(
                kind: kind, origin: origin, probe: probe, isTrustedOrigin: trusted,
                requestedMethod: fields[.accessControlRequestMethod], response: response)
            observations.append(observation)
            return observation
        }

        // 1. Baseline: can the target be reached at all? Its failure is the target's failure.
        do {
            _ = try await send(.get, origin: nil, probe: nil, trusted: false)
        } catch {
            report.failure = error.description
            return report
        }

        // 2. The origins the API trusts.
        var trusted: [TrustedBase] = []
        let candidates = trustedOrigins.isEmpty ? ProbeGenerator.discoveryCandidates(for: target) : trustedOrigins
        for candidate in candidates {
            let given = !trustedOrigins.isEmpty
            guard let observation = try? await send(.get, origin: candidate, probe: nil, trusted: given) else { continue }
            guard given || observation.grantsOrigin else { continue }
            if !given { observations[observations.count - 1].isTrustedOrigin = true }
            if let base = Self.base(candidate) { trusted.append(base) }
            _ = try? await send(.preflight, origin: candidate, probe: nil, trusted: true)
            // A method no API defines: only a server that mirrors the request lists it back.
            _ = try? await send(.preflight, origin: candidate, probe: nil, trusted: true, method: Self.mirrorProbeMethod)
        }
        report.trustedOrigins = trusted.map(\.origin)

        // 3. Probes, each with a GET and a preflight.
        var probesSkipped = 0
        for probe in generator.probes(for: target, trusted: trusted) {
            guard report.requests + 2 <= maximumRequests else {
                probesSkipped += 1
                continue
            }
            do {
                _ = try await send(.get, origin: probe.origin, probe: probe, trusted: false)
                _ = try await send(.preflight, origin: probe.origin, probe: probe, trusted: false)
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
        let judge = ScanJudge(observations: observations, probeHeader: probeHeader, probeMethod: Self.mirrorProbeMethod)
        report.findings = judge.findings()
        report.notes += judge.notes()
        return report
    }

    static let mirrorProbeMethod = "CORSPROBE"

    static func base(_ origin: String) -> TrustedBase? {
        guard case .tuple(let scheme, let host, let port)? = WebOrigin(origin) else { return nil }
        return TrustedBase(
            scheme: scheme, host: host, port: port, registrableDomain: RegistrableDomain.of(host),
            origin: origin)
    }
}
