import Foundation
import HTTPTypes

/// The text and `--json` forms of `cors check --websocket`.
///
/// The JSON document:
///
/// ```
/// {"websocket": true, "verdict": "accepted"|"refused", "reason": "accepted"|"origin-not-trusted"|…,
///  "url": "ws://…", "origin": "…", "status": N, "explanation": "…", "fixes": ["…"], "notes": ["…"],
///  "exchanges": [{"purpose": "upgrade"|"same-origin-control", "request": {…}, "response": {…, "body"}, "rules": […]}],
///  "stack": {"name", "evidence", "overridden"}}
/// ```
enum WebSocketCheckRendering {
    static func text(_ report: WebSocketCheckReport, style: TerminalStyle) -> String {
        var lines: [String] = []
        let request = report.request
        lines.append(style.bold("cors check --websocket: \(request.socketURL)"))
        lines.append("  from a page on \(request.origin): new WebSocket(\"\(request.socketURL)\")")
        for (index, exchange) in report.exchanges.enumerated() {
            lines.append("")
            let title = exchange.purpose == .upgrade ? "WebSocket upgrade" : "The same upgrade from the server's own origin"
            lines.append(style.bold("[\(index + 1)] \(title)") + "  GET \(exchange.request.exchangeURL)")
            lines.append("    " + style.cyan("→ sent"))
            for field in exchange.request.headerFields {
                lines.append("      \(field.name.rawName): \(field.value)")
            }
            let status = exchange.response.status
            lines.append("    " + style.cyan("← \(status.code)\(status.reasonPhrase.isEmpty ? "" : " " + status.reasonPhrase)"))
            var others: [String] = []
            for field in exchange.response.headerFields {
                let name = field.name.canonicalName
                if CheckTextRenderer.isRelevant(name) || name.hasPrefix("sec-websocket-") || name == "upgrade" || name == "connection" {
                    lines.append("      \(field.name.rawName): \(field.value)")
                } else if !others.contains(name) {
                    others.append(name)
                }
            }
            if !others.isEmpty { lines.append(style.dim("      (also: \(others.joined(separator: ", ")))")) }
            if status.code != 101, let body = exchange.response.bodySnippet() {
                lines.append(style.dim("      body: \(body.trimmingCharacters(in: .whitespaces))"))
            }
            for rule in exchange.rules {
                switch rule.status {
                case .passed: lines.append("    " + style.green("✓") + " " + rule.text)
                case .failed: lines.append("    " + style.red("✗") + " " + style.red(rule.text))
                case .info: lines.append("    " + style.dim("·") + " " + rule.text)
                }
            }
        }
        lines.append("")
        let status = report.exchanges[0].response.status.code
        switch report.verdict {
        case .accepted:
            lines.append(style.bold("Verdict: ") + style.green(style.bold("ACCEPTED")) + " — the page gets an open socket (101)")
        case .refused:
            lines.append(style.bold("Verdict: ") + style.red(style.bold("REFUSED")) + " — \(report.reason.rawValue) (\(status))")
        }
        lines.append(style.bold("Why:     ") + report.explanation)
        lines.append(style.bold("Stack:   ") + CheckTextRenderer.stackLine(report.stack))
        if !report.fixes.isEmpty {
            lines.append("")
            lines.append(
                style.bold(
                    report.verdict == .accepted
                        ? "If \(request.origin) is not one of your frontends, any site can do the same (cross-site WebSocket hijacking): check the Origin before upgrading."
                        : "Fix:"))
            for fix in report.fixes {
                lines.append("  - " + fix.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    "))
            }
        }
        lines.append("")
        for note in report.notes {
            lines.append(style.bold("Note: ") + note)
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: WebSocketCheckReport) -> JSONValue {
        .object([
            ("websocket", true),
            ("verdict", .string(report.verdict.rawValue)),
            ("reason", .string(report.reason.rawValue)),
            ("url", .string(report.request.socketURL)),
            ("origin", .string(report.request.origin)),
            ("status", .number(report.exchanges[0].response.status.code)),
            ("explanation", .string(report.explanation)),
            ("fixes", .strings(report.fixes)),
            ("notes", .strings(report.notes)),
            (
                "exchanges",
                .array(
                    report.exchanges.map { exchange in
                        .object([
                            ("purpose", .string(exchange.purpose.rawValue)),
                            (
                                "request",
                                .object([
                                    ("method", "GET"),
                                    ("url", .string(exchange.request.exchangeURL)),
                                    ("headers", CheckJSONRenderer.headers(exchange.request.headerFields)),
                                ])
                            ),
                            (
                                "response",
                                .object([
                                    ("status", .number(exchange.response.status.code)),
                                    ("statusText", .string(exchange.response.status.reasonPhrase)),
                                    ("headers", CheckJSONRenderer.headers(exchange.response.headerFields)),
                                    ("body", .string(exchange.response.bodySnippet(limit: 500).map { $0.trimmingCharacters(in: .whitespaces) })),
                                ])
                            ),
                            ("accepted", .bool(exchange.isAccepted)),
                            (
                                "rules",
                                .array(
                                    exchange.rules.map { .object([("status", .string($0.status.rawValue)), ("rule", .string($0.text))]) })
                            ),
                        ])
                    })
            ),
            ("stack", CheckJSONRenderer.stack(report.stack)),
        ])
    }
}
