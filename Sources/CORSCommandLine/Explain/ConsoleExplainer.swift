import CORSBrowserModel

/// Turns pasted console text from any engine into findings, by reading it with the engines'
/// own catalogues (``ConsoleMessageReader``): each reason line starts a finding, and the lines
/// an engine prints after it (WebKit's "Fetch API cannot load URL", Firefox's "CORS request did
/// not succeed" after a preflight failure) complete it.
enum ConsoleExplainer {
    /// The findings in `text`, or a failure naming the closest known message.
    static func explain(_ text: String) throws(ToolFailure) -> [ExplainFinding] {
        let readings = ConsoleMessageReader.read(text: text)
        guard !readings.isEmpty else {
            let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !firstLine.allSatisfy(\.isWhitespace) else { throw ToolFailure("no console text to explain: the input is empty") }
            let closest = ConsoleMessageReader.closest(to: text)
            let hint = closest.map {
                "; the closest known message is \($0.engine.engineName) \($0.id): \"\($0.templates[0].text)\""
            } ?? ""
            throw ToolFailure("no known CORS console message in the input\(hint)")
        }
        var findings: [ExplainFinding] = []
        for reading in readings {
            let message = reading.message
            if message.role == .followUp, var last = findings.last, last.engine == reading.engine, last.isBlocked {
                findings.removeLast()
                complete(&last, with: reading)
                findings.append(last)
                continue
            }
            findings.append(finding(for: reading))
        }
        return findings
    }

    private static func finding(for reading: ConsoleMessageReading) -> ExplainFinding {
        let message = reading.message
        var values = reading.values
        var causes = message.causes
        let reasonText = message.reasonTemplate.render(values)
        if message.id == "redirectDenied" {
            // WebKit wraps the check the redirect failed: read the inner message too.
            if let inner = values[.value].flatMap(ConsoleMessageReader.read(line:)), inner.engine == .webkit {
                causes = inner.message.causes.filter { $0.stage == "response" }
                for (key, value) in inner.values where values[key] == nil { values[key] = value }
            } else if values[.value]?.contains("has credentials") == true {
                causes = [.redirectContainsCredentials]
            } else {
                causes = []
            }
        }
        var finding = ExplainFinding(
            source: "console", engine: message.engine, messageID: message.id, reasonText: reasonText,
            documentationURL: message.documentationURL, url: values[.url], origin: values[.origin],
            method: values[.method], header: values[.header], status: values[.status],
            isBlocked: message.role != .warning,
            causes: [], decidingProbe: causes.count > 1 ? message.decidingProbe : nil, note: message.note,
            lines: [reading.line])
        finding.causes = mergedTwins(causes.map { cause(for: $0, values: values) })
        refine(&finding)
        if finding.origin == nil && finding.engine == .firefox {
            finding.unknowns.append("Firefox's line does not name the page's origin: put it in place of PAGE_ORIGIN.")
        }
        return finding
    }

    /// Adds what a follow-up line says.
    private static func complete(_ finding: inout ExplainFinding, with reading: ConsoleMessageReading) {
        finding.lines.append(reading.line)
        if finding.url == nil { finding.url = reading.values[.url] }
        if reading.message.id == "CORSDidNotSucceed", !(finding.status.flatMap(Int.init).map { (300...399).contains($0) } ?? false) {
            // Firefox prints this after a preflight or redirect failure; without a 3xx status,
            // the preflight failed.
            let preflight = finding.causes.compactMap { cause -> ExplainFinding.Cause? in
                switch cause.stage {
                case "preflight": return cause
                case "preflight or response":
                    let twin = CORSFailure.Reason(rawValue: "Preflight" + cause.reason.rawValue) ?? cause.reason
                    return Self.cause(for: twin, values: [:])
                default: return nil
                }
            }
            if !preflight.isEmpty {
                finding.causes = preflight
                if preflight.count == 1 { finding.decidingProbe = nil }
            }
        }
    }

    /// What the status, the method or the value already decide.
    private static func refine(_ finding: inout ExplainFinding) {
        // A line naming a method or header can only come from a preflighted request.
        if finding.messageID == "originNotAllowed", let status = finding.status.flatMap(Int.init), status >= 400 {
            finding.decidingProbe =
                "Status \(status): most likely an error page without CORS headers (the CORS layer did not run for the error); a missing or wrong Access-Control-Allow-Origin on every response reads the same. `cors check` shows the headers of that response."
        }
        if finding.messageID == "preflightNotSuccessful", let status = finding.status.flatMap(Int.init) {
            if (300...399).contains(status) {
                finding.causes = finding.causes.filter { $0.reason == .preflightDisallowedRedirect }
                finding.decidingProbe = nil
            } else {
                finding.causes = finding.causes.filter { $0.reason != .preflightDisallowedRedirect }
            }
        }
    }

    /// A reason and its `Preflight…` twin read the same in the engines that do not say which
    /// response failed: one cause, on either response.
    static func mergedTwins(_ causes: [ExplainFinding.Cause]) -> [ExplainFinding.Cause] {
        var merged: [ExplainFinding.Cause] = []
        for cause in causes {
            if let index = merged.firstIndex(where: { Self.twin($0.reason) == Self.twin(cause.reason) }) {
                if merged[index].stage != cause.stage { merged[index].stage = "preflight or response" }
                if cause.stage == "response" { merged[index].explanation = cause.explanation }
            } else {
                merged.append(cause)
            }
        }
        return merged
    }

    private static func twin(_ reason: CORSFailure.Reason) -> String {
        reason.rawValue.hasPrefix("Preflight") && reason != .preflightInvalidStatus && reason != .preflightDisallowedRedirect
            ? String(reason.rawValue.dropFirst("Preflight".count)) : reason.rawValue
    }

    /// What an Access-Control-Allow-Origin reason means when the message does not show the value.
    private static func withoutValue(_ reason: CORSFailure.Reason) -> String? {
        switch twin(reason) {
        case "AllowOriginMismatch":
            "Access-Control-Allow-Origin names another origin, or this one spelled differently (a trailing slash, another scheme or port, upper case, 'null'); it must equal the request's Origin byte for byte."
        case "InvalidAllowOriginValue":
            "Access-Control-Allow-Origin is not an origin at all; send scheme://host[:port] exactly as in the request's Origin header."
        case "MultipleAllowOriginValues":
            "Access-Control-Allow-Origin holds several origins, or the header is sent twice (by both a proxy and the app); send exactly one origin."
        case "InvalidAllowCredentials":
            "The request includes credentials, so Access-Control-Allow-Credentials must be exactly 'true' (lowercase); it is absent or another value."
        default:
            nil
        }
    }

    static func cause(for reason: CORSFailure.Reason, values: [ConsolePlaceholder: String]) -> ExplainFinding.Cause {
        let parameter: String?
        switch reason {
        case .methodDisallowedByPreflightResponse: parameter = values[.method]
        case .headerDisallowedByPreflightResponse: parameter = values[.header]?.lowercased()
        case .invalidAllowMethodsPreflightResponse, .invalidAllowHeadersPreflightResponse: parameter = values[.token] ?? values[.value]
        case .preflightInvalidStatus: parameter = values[.status]
        default: parameter = values[.value]
        }
        let failure = CORSFailure(reason, offendingValue: parameter)
        let explanation = parameter == nil ? (withoutValue(reason) ?? failure.explanation) : failure.explanation
        return ExplainFinding.Cause(reason: reason, stage: reason.stage, explanation: explanation)
    }
}
