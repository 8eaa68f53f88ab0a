import CORSBrowserModel
import HTTPTypes

/// The `cors check --json` document:
///
/// ```
/// {"verdict": "allowed"|"blocked", "reason": "<CorsError name>"|null, "failedParameter": …|null,
///  "consoleMessage": "…"|null, "preflight": {"request": {…}, "response": {"status": N, "headers": {…}}}|null,
///  "actual": {…}|null, "exposedHeaders": […], "fixes": ["…"], "warnings": ["…"],
///  "networkError", "explanation", "pitfalls", "fixDetails", "redirects", "exchanges", "check",
///  "engines", "stack": {"name": "nginx"|null, "evidence": ["Server: nginx/1.22.1"], "overridden": false}}
/// ```
///
/// `preflight` and `actual` are the last preflight and the last actual request sent (after
/// redirects); `exchanges` lists every request in order. Header objects combine repeated
/// field lines with `", "`, as a browser reads them.
enum CheckJSONRenderer {
    static func render(_ report: CheckReport) -> String {
        document(report).rendered()
    }

    static func document(_ report: CheckReport) -> JSONValue {
        let request = report.request
        return .object([
            ("verdict", .string(report.verdict.rawValue)),
            ("reason", .string(report.failure?.reason.rawValue)),
            ("failedParameter", .string(report.failure?.failedParameter)),
            ("consoleMessage", .string(report.consoleMessage)),
            ("preflight", report.lastPreflight.map(exchange) ?? .null),
            ("actual", report.lastActual.map(exchange) ?? .null),
            ("exposedHeaders", .strings(report.readable?.readableHeaderNames ?? [])),
            ("fixes", .strings(report.fixes.flatMap(\.lines))),
            ("warnings", .strings(report.warnings)),
            ("networkError", .string(report.networkError.map { "net::\($0.code.rawValue)" })),
            ("explanation", .string(report.failure?.explanation ?? report.networkError?.explanation)),
            ("pitfalls", .strings(report.pitfalls.map(\.rawValue))),
            ("fixDetails", .array(report.fixes.map(fixDetail))),
            ("redirects", .array(report.redirects.map(redirect))),
            ("exchanges", .array(report.steps.map(step))),
            (
                "check",
                .object([
                    ("url", .string(request.url.serialized)),
                    ("origin", .string(request.origin.serialized)),
                    ("method", .string(request.method.rawValue)),
                    ("credentials", .string(request.credentials.rawValue)),
                    ("crossOrigin", .bool(request.isCrossOrigin)),
                    ("preflightNeeded", .bool(report.initialPlan.needsPreflight)),
                    ("preflightReasons", .strings(report.initialPlan.preflightReasons)),
                    ("headers", headers(request.headerFields)),
                ])
            ),
            ("engines", CheckEngineRenderer.json(report.engines)),
            ("stack", stack(report.stack)),
        ])
    }

    static func exchange(_ step: CheckStep) -> JSONValue {
        .object([
            (
                "request",
                .object([
                    ("method", .string(step.request.method.rawValue)),
                    ("url", .string(step.url)),
                    ("headers", headers(step.request.headerFields)),
                ])
            ),
            (
                "response",
                .object([
                    ("status", .number(step.response.status.code)),
                    ("statusText", .string(step.response.status.reasonPhrase)),
                    ("headers", headers(step.response.headerFields)),
                ])
            ),
        ])
    }

    static func step(_ step: CheckStep) -> JSONValue {
        guard case .object(var pairs) = exchange(step) else { return .null }
        pairs.insert(("kind", .string(step.kind.rawValue)), at: 0)
        pairs.append(("outcome", .string(outcomeName(step.outcome))))
        pairs.append(
            (
                "rules",
                .array(step.rules.map { .object([("status", .string($0.status.rawValue)), ("rule", .string($0.text))]) })
            ))
        return .object(pairs)
    }

    static func outcomeName(_ outcome: CheckStep.Outcome) -> String {
        switch outcome {
        case .preflightPassed: "preflight-passed"
        case .preflightFailed: "preflight-failed"
        case .redirect: "redirect"
        case .redirectBlocked: "redirect-blocked"
        case .redirectFailed: "redirect-failed"
        case .response: "response"
        case .responseBlocked: "response-blocked"
        }
    }

    static func redirect(_ hop: RedirectHop) -> JSONValue {
        .object([
            ("from", .string(hop.nextRequest.redirectChain.last?.serialized ?? "")),
            ("location", .string(hop.location.serialized)),
            ("methodChangedToGET", .bool(hop.methodChangedToGET)),
            ("removedHeaders", .strings(hop.removedHeaderNames)),
            ("originBecameNull", .bool(hop.originBecameNull)),
            ("needsPreflight", .bool(hop.nextPlan.needsPreflight)),
        ])
    }

    static func fixDetail(_ fix: CheckFix) -> JSONValue {
        .object([
            ("pitfall", .string(fix.pitfall?.rawValue)),
            ("problem", .string(fix.problem)),
            ("headers", .strings(fix.headers)),
            ("corsPolicy", .string(fix.corsPolicy)),
            ("fastAPI", .string(fix.fastAPI)),
            ("other", .strings(fix.other)),
            (
                "stackFixes",
                .array(
                    fix.stackFixes.map { line in
                        .object([
                            ("stack", .string(line.stack.rawValue)), ("fix", .string(line.fix)),
                            ("detected", .bool(line.isDetected)),
                        ])
                    })
            ),
        ])
    }

    /// `{"name": "nginx"|null, "evidence": […], "overridden": bool}`.
    static func stack(_ detection: StackDetection) -> JSONValue {
        .object([
            ("name", .string(detection.stack?.rawValue)),
            ("evidence", .strings(detection.evidence)),
            ("overridden", .bool(detection.isOverride)),
        ])
    }

    /// `{"Name": "value"}` in the order first seen, repeated lines joined with `", "`.
    static func headers(_ fields: HTTPFields) -> JSONValue {
        var order: [String] = []
        var names: [String: String] = [:]
        var values: [String: [String]] = [:]
        for field in fields {
            let key = field.name.canonicalName
            if values[key] == nil {
                order.append(key)
                names[key] = field.name.rawName
            }
            values[key, default: []].append(field.value)
        }
        return .object(order.map { (names[$0]!, .string(values[$0]!.joined(separator: ", "))) })
    }
}
