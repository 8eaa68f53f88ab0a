import Foundation
import CORSBrowserModel
import HTTPTypes

/// Explains a HAR export: finds every cross-origin request (its `Origin` header, or the page's
/// URL, against the request's URL), pairs it with its preflight (the `OPTIONS` to the same URL
/// with `Access-Control-Request-Method` for that method, nearest before it, else after it;
/// Chrome also marks preflights `_initiator.type: "preflight"`), and runs the browser model over the recorded
/// headers to name each failure's reason and fix.
struct HARExplainer {
    /// What the whole file held.
    struct Summary: Sendable {
        var entries = 0
        var crossOrigin = 0
        var preflights = 0
        var allowed = 0
        var blocked = 0
    }

    let har: HARFile

    /// The engine whose DevTools wrote the file, from `log.creator.name`.
    var engine: BrowserEngine {
        let creator = har.creator.lowercased()
        if creator.contains("firefox") { return .firefox }
        if creator.contains("webkit") || creator.contains("safari") { return .webkit }
        // Gecko's error names (NS_ERROR_DOM_BAD_URI) where the creator does not say.
        if har.entries.contains(where: { $0.error?.hasPrefix("NS_") == true }) { return .firefox }
        return .chromium
    }

    func explain() -> (findings: [ExplainFinding], summary: Summary, unknowns: [String]) {
        var summary = Summary(entries: har.entries.count)
        let pageOrigin = har.pageURLs.first.flatMap { WebURL($0)?.origin.serialized }
        var pairedPreflights = Set<Int>()
        var findings: [ExplainFinding] = []

        let preflights = har.entries.filter(\.isPreflight)
        summary.preflights = preflights.count
        for entry in har.entries where !entry.isPreflight {
            guard let origin = requestOrigin(entry, pageOrigin: pageOrigin), isCrossOrigin(entry.url, origin: origin) else {
                continue
            }
            summary.crossOrigin += 1
            // Exporters order them differently (a CDP recording lists the request before its
            // preflight): the nearest unpaired preflight before the request, else after it.
            let matches = { (candidate: HARFile.Entry) in
                !pairedPreflights.contains(candidate.index) && candidate.url == entry.url
                    && (candidate.requestHeader("access-control-request-method") ?? entry.method) == entry.method
            }
            let preflight =
                preflights.last { $0.index < entry.index && matches($0) } ?? preflights.first { $0.index > entry.index && matches($0) }
            if let preflight { pairedPreflights.insert(preflight.index) }
            if let finding = judge(actual: entry, preflight: preflight, origin: origin) {
                findings.append(finding)
            } else {
                summary.allowed += 1
            }
        }
        // A preflight without its request: the browser never sent the request.
        for preflight in preflights where !pairedPreflights.contains(preflight.index) {
            guard let origin = requestOrigin(preflight, pageOrigin: pageOrigin), isCrossOrigin(preflight.url, origin: origin)
            else { continue }
            summary.crossOrigin += 1
            if let finding = judge(actual: nil, preflight: preflight, origin: origin) {
                findings.append(finding)
            } else {
                summary.allowed += 1
            }
        }
        summary.blocked = findings.filter(\.isBlocked).count
        return (findings, summary, unknowns())
    }

    // MARK: One request

    private func judge(actual: HARFile.Entry?, preflight: HARFile.Entry?, origin: String) -> ExplainFinding? {
        guard let anchor = actual ?? preflight else { return nil }
        let method = actual?.method ?? preflight?.requestHeader("access-control-request-method") ?? "GET"
        let recordedFailure = [actual, preflight].compactMap { $0 }.contains { $0.status == 0 || $0.error != nil }
            || actual == nil
        let hasCookies = actual?.requestHeader("cookie") != nil
        // Credentials are not in the export: take the mode that explains what was recorded.
        let modes: [CredentialsMode] = hasCookies ? [.include] : [.omit, .include]
        var firstJudgement: (BlockedExchange?, CredentialsMode)?
        for mode in modes {
            guard let request = pageRequest(actual: actual, preflight: preflight, method: method, origin: origin, credentials: mode)
            else { return nil }
            let blocked = blockedExchange(request, actual: actual, preflight: preflight)
            if firstJudgement == nil { firstJudgement = (blocked, mode) }
            if (blocked != nil) == recordedFailure || blocked != nil {
                firstJudgement = (blocked, mode)
                break
            }
        }
        guard let (exchange, mode) = firstJudgement else { return nil }
        if let exchange {
            let report = engine.profile.report(exchange)
            let failure = exchange.failure
            var finding = ExplainFinding(
                source: "har", engine: engine, messageID: report.reasonName, reasonText: report.reasonText,
                documentationURL: report.message.documentationURL, url: anchor.url, origin: origin, method: method,
                header: failure.reason == .headerDisallowedByPreflightResponse
                    ? WebKitProfile.headerSpelling(failure.failedParameter ?? "", in: exchange.request) : nil,
                status: String(exchange.response.status.code), isBlocked: true,
                causes: [
                    ExplainFinding.Cause(reason: failure.reason, stage: exchange.stage == .preflight ? "preflight" : "response",
                        explanation: failure.explanation)
                ],
                decidingProbe: nil, note: nil, lines: report.consoleLines)
            if mode == .include && !hasCookies {
                finding.unknowns.append(
                    "The export does not say whether the request carried credentials; only credentials: 'include' explains the recorded failure.")
            }
            return finding
        }
        guard recordedFailure else { return nil }
        // Recorded as failed, but the recorded headers pass: the browser kept no response.
        let failed = [preflight, actual].compactMap { $0 }.first { $0.status == 0 || $0.error != nil } ?? anchor
        return ExplainFinding(
            source: "har", engine: engine, messageID: failed.error ?? "status 0",
            reasonText: "recorded as failed (\(failed.error ?? "status 0")) without a response to judge",
            documentationURL: nil, url: anchor.url, origin: origin, method: method, header: nil,
            status: String(failed.status), isBlocked: true, causes: [], decidingProbe: nil,
            note:
                "The browser recorded no usable response for this \(failed.isPreflight ? "preflight" : "request"): a CORS block whose headers the exporter dropped, a network error, or a request cancelled by the page. `cors check` sends it again and shows the response.",
            lines: [])
    }

    private func blockedExchange(_ request: PageRequest, actual: HARFile.Entry?, preflight: HARFile.Entry?) -> BlockedExchange? {
        let plan = RequestPlan(request)
        if let preflight, preflight.status > 0, let exchange = plan.blockedExchange(preflightResponse: response(preflight)) {
            return exchange
        }
        if let actual, actual.status > 0 {
            return plan.blockedExchange(actualResponse: response(actual))
        }
        return nil
    }

    private func pageRequest(
        actual: HARFile.Entry?, preflight: HARFile.Entry?, method: String, origin: String, credentials: CredentialsMode
    ) -> PageRequest? {
        var fields = HTTPFields()
        // The script's CORS-unsafe headers are the preflight's Access-Control-Request-Headers;
        // the browser's own headers in the export (User-Agent, Accept-Encoding…) are not the script's.
        let names = (preflight?.requestHeader("access-control-request-headers") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for name in names {
            guard let fieldName = HTTPField.Name(name) else { continue }
            let value = actual?.requestHeader(name.lowercased()) ?? ExplainFinding.sampleValue(for: name)
            fields.append(HTTPField(name: fieldName, value: value))
        }
        if preflight == nil, let contentType = actual?.requestHeader("content-type"), let name = HTTPField.Name("Content-Type") {
            fields.append(HTTPField(name: name, value: contentType))
        }
        return try? PageRequest(url: (actual ?? preflight)!.url, origin: origin, method: method, headerFields: fields, credentials: credentials)
    }

    private func response(_ entry: HARFile.Entry) -> HTTPResponse {
        var fields = HTTPFields()
        for header in entry.responseHeaders {
            // HTTP/2 pseudo-headers (":status") are not fields.
            guard !header.name.hasPrefix(":"), let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return HTTPResponse(status: HTTPResponse.Status(code: entry.status), headerFields: fields)
    }

    private func requestOrigin(_ entry: HARFile.Entry, pageOrigin: String?) -> String? {
        if let origin = entry.requestHeader("origin") { return origin }
        if let referer = entry.requestHeader("referer"), let url = WebURL(referer) { return url.origin.serialized }
        return pageOrigin
    }

    private func isCrossOrigin(_ url: String, origin: String) -> Bool {
        guard let target = WebURL(url), target.scheme == "http" || target.scheme == "https" else { return false }
        return target.origin.serialized != origin
    }

    // MARK: What the export cannot tell

    private func unknowns() -> [String] {
        let sensitive = ["cookie", "authorization"]
        let anySent = har.entries.contains { entry in sensitive.contains { entry.requestHeader($0) != nil } }
        let anySetCookie = har.entries.contains { $0.hasResponseHeader("set-cookie") }
        var unknowns: [String] = []
        if !anySent && !anySetCookie {
            unknowns.append(
                "The export carries no Cookie, Set-Cookie or Authorization header (DevTools strips them from sanitized exports): whether cookies and credentials went with the requests cannot be judged; the credentials mode is inferred from the recorded outcome.")
        }
        return unknowns
    }
}
