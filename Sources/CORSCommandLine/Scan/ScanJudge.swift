import CORSBrowserModel
import HTTPTypes

/// Turns a target's observations into findings, judging like a browser: `Access-Control-Allow-Origin`
/// is compared byte for byte with the origin sent, and severity follows what an attacker's page
/// could really read.
struct ScanJudge: Sendable {
    var observations: [Observation]
    /// The header name no API allows, sent in every probe preflight.
    var probeHeader: String
    /// The method no API defines, sent in one preflight per trusted origin.
    var probeMethod: String

    /// What the scan saw of the site's cookies, which decides whether a credentialed read is
    /// exploitable from another site.
    struct CookieEvidence: Sendable {
        var sentCrossSite: [String]
        var notSentCrossSite: [String]

        init(_ observations: [Observation]) {
            var sent: [String] = []
            var notSent: [String] = []
            for value in Set(observations.flatMap { $0.response.headerFields[values: .setCookie] }).sorted() {
                let cookie = SetCookie(parsing: value)
                if cookie.crossSiteVerdict.isSentCrossSite {
                    sent.append(cookie.name)
                } else {
                    notSent.append("\(cookie.name) (\(cookie.sameSite?.rawValue ?? "no SameSite, so Lax in Chrome")\(cookie.isSecure ? "" : ", not Secure"))")
                }
            }
            sentCrossSite = sent.uniqued()
            notSentCrossSite = notSent.uniqued()
        }
    }

    /// What is worth knowing but is not a finding.
    func notes() -> [String] {
        guard
            let refusal = observations.first(where: { observation in
                observation.kind == .preflight && observation.isTrustedOrigin
                    && observation.requestedMethod != probeMethod && Self.isDeliberateRefusal(observation)
            })
        else { return [] }
        return [
            "a preflight asking for a header the API does not allow got \(refusal.response.status.code) with the CORS headers (Starlette's CORSMiddleware answers 400 \"Disallowed CORS headers\"): harmless, but the browser then reports PreflightInvalidStatus instead of naming the missing header; an ok status with the allowed lists lets the console name it"
        ]
    }

    /// A preflight answered 4xx by a CORS layer that still grants the origin: it refused what
    /// was asked, not the origin, and is up and running before routing and authentication.
    static func isDeliberateRefusal(_ observation: Observation) -> Bool {
        (400...499).contains(observation.response.status.code) && observation.grantsOrigin
    }

    func findings() -> [ScanFinding] {
        let cookies = CookieEvidence(observations)
        var findings: [ScanFinding] = []

        // Probes the server granted: one finding per class, shown with its most severe probe.
        var grantedOrigins: [String] = []
        var byOrigin: [String: [Observation]] = [:]
        for observation in observations where observation.probe != nil && observation.grantsOrigin {
            let origin = observation.origin ?? ""
            if byOrigin[origin] == nil { grantedOrigins.append(origin) }
            byOrigin[origin, default: []].append(observation)
        }
        var grants: [ScanFinding] = []
        for origin in grantedOrigins {
            let granted = byOrigin[origin] ?? []
            guard let probe = granted.first?.probe else { continue }
            let credentials = granted.contains { $0.allowsCredentials }
            let authorization = granted.contains { observation in
                observation.kind == .preflight && Self.lists(observation.response.headerFields[.accessControlAllowHeaders], "authorization")
            }
            let text = ScanCatalogue.grant(probe, credentials: credentials, authorization: authorization, cookies: cookies)
            grants.append(
                ScanFinding(
                    code: probe.code,
                    severity: ScanCatalogue.grantSeverity(
                        probe, credentials: credentials, authorization: authorization, cookies: cookies),
                    probeOrigin: origin, evidence: granted.map(\.evidence), explanation: text.explanation, fix: text.fix))
        }
        for code in ScanFindingCode.allCases {
            let ofClass = grants.filter { $0.code == code }
            guard var finding = ofClass.max(by: { $0.severity < $1.severity }) else { continue }
            let others = ofClass.compactMap(\.probeOrigin).filter { $0 != finding.probeOrigin }
            if !others.isEmpty {
                let shown = others.prefix(5).joined(separator: ", ")
                finding.explanation += " \(others.count) other probe origin\(others.count == 1 ? " of this kind was" : "s of this kind were") granted too: \(shown)\(others.count > 5 ? ", …" : "")."
            }
            findings.append(finding)
        }

        // `*`, with or without credentials (passive: any response).
        let wildcard = observations.filter { $0.allowOrigin == "*" }
        if let first = wildcard.first {
            let withCredentials = wildcard.filter(\.allowsCredentials)
            let code: ScanFindingCode = withCredentials.isEmpty ? .wildcard : .wildcardWithCredentials
            let text = ScanCatalogue.text(code)
            findings.append(
                ScanFinding(
                    code: code, severity: code == .wildcard ? .info : .info, probeOrigin: first.origin,
                    evidence: [(withCredentials.first ?? first).evidence], explanation: text.explanation, fix: text.fix))
        }

        // Allow-Origin values no browser accepts.
        // A reflected probe is reported as the class it reveals, not as an invalid value.
        if let invalid = observations.first(where: { Self.isInvalidAllowOrigin($0) && !$0.grantsOrigin }) {
            let text = ScanCatalogue.text(.invalidAllowOrigin, detail: invalid.allowOrigin ?? "")
            findings.append(
                ScanFinding(
                    code: .invalidAllowOrigin, severity: .low, probeOrigin: invalid.origin, evidence: [invalid.evidence],
                    explanation: text.explanation, fix: text.fix))
        }

        // A dynamic Allow-Origin on a cacheable response without `Vary: Origin`.
        if let unvaried = observations.first(where: { observation in
            observation.kind == .get && observation.grantsOrigin && observation.origin != "null"
                && Self.isCacheable(observation.response) && !Self.varies(observation.response, on: "origin")
        }) {
            let text = ScanCatalogue.text(.missingVaryOrigin)
            findings.append(
                ScanFinding(
                    code: .missingVaryOrigin, severity: .medium, probeOrigin: unvaried.origin,
                    evidence: [unvaried.evidence], explanation: text.explanation, fix: text.fix))
        }

        // Preflights from trusted origins that a browser refuses on status alone.
        for observation in observations where observation.kind == .preflight && observation.isTrustedOrigin {
            let status = observation.response.status.code
            guard !(200...299).contains(status) else { continue }
            let isRedirect = (300...399).contains(status)
            // The made-up method may be refused by any server, before CORS or by it: no finding.
            guard observation.requestedMethod != probeMethod else { continue }
            // A CORS layer that grants the origin but refuses the probe's made-up header with a
            // 4xx (Starlette's 400 "Disallowed CORS headers") breaks nothing the frontend does.
            guard !Self.isDeliberateRefusal(observation) else { continue }
            let code: ScanFindingCode = isRedirect ? .preflightRedirect : .preflightNotOK
            guard !findings.contains(where: { $0.code == code }) else { continue }
            let location = observation.response.headerFields[.location] ?? "?"
            let text = ScanCatalogue.text(code, detail: isRedirect ? location : String(status))
            findings.append(
                ScanFinding(
                    code: code, severity: .info, probeOrigin: observation.origin, evidence: [observation.evidence],
                    explanation: text.explanation, fix: text.fix))
        }

        // Preflight answers that mirror whatever was asked.
        if let mirror = observations.first(where: { observation in
            observation.kind == .preflight && observation.grantsOrigin
                && (Self.lists(observation.response.headerFields[.accessControlAllowHeaders], probeHeader)
                    || Self.lists(observation.response.headerFields[.accessControlAllowMethods], probeMethod, caseSensitive: true))
        }) {
            let credentials = mirror.allowsCredentials
            let text = ScanCatalogue.text(.reflectsRequestedHeaders, detail: credentials ? "with credentials" : "")
            findings.append(
                ScanFinding(
                    code: .reflectsRequestedHeaders, severity: credentials ? .medium : .low, probeOrigin: mirror.origin,
                    evidence: [mirror.evidence], explanation: text.explanation, fix: text.fix))
        }
        return findings.sorted { ($0.severity, $1.code.rawValue) > ($1.severity, $0.code.rawValue) }
    }

    /// Whether a comma-separated field value lists `name`.
    static func lists(_ value: String?, _ name: String, caseSensitive: Bool = false) -> Bool {
        guard let value else { return false }
        return value.split(separator: ",").contains { element in
            let token = element.trimmingCharacters(in: .whitespaces)
            return caseSensitive ? token == name : token.lowercased() == name.lowercased()
        }
    }

    static func varies(_ response: HTTPExchangeResponse, on name: String) -> Bool {
        response.headerFields[values: .vary].contains { lists($0, name) || lists($0, "*") }
    }

    /// Cacheable by a shared cache without explicit freshness: a heuristically cacheable status
    /// (RFC 9111 §4.2.2) and no `no-store` or `private`.
    static func isCacheable(_ response: HTTPExchangeResponse) -> Bool {
        let cacheableStatuses: Set<Int> = [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]
        guard cacheableStatuses.contains(response.status.code) else { return false }
        let cacheControl = response.headerFields[values: .cacheControl].joined(separator: ",").lowercased()
        return !cacheControl.contains("no-store") && !cacheControl.contains("private")
    }

    /// An `Access-Control-Allow-Origin` that matches no origin at all: several values, a list, a
    /// trailing slash, a path, or text that is not an origin.
    static func isInvalidAllowOrigin(_ observation: Observation) -> Bool {
        let values = observation.response.headerFields[values: .accessControlAllowOrigin]
        guard !values.isEmpty else { return false }
        if values.count > 1 { return true }
        let value = values[0]
        if value == "*" || value == "null" { return false }
        guard let origin = WebOrigin(value) else { return true }
        return origin.serialized != value
    }
}

import Foundation
