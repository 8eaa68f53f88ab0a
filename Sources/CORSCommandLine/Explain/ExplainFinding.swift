import CORSBrowserModel

/// One blocked (or warned-about) request that `cors explain` found in its input, with the
/// causes that fit, the fix, and the command that reproduces it.
struct ExplainFinding: Sendable {
    /// One cause that fits what the input shows.
    struct Cause: Sendable, Hashable {
        /// The shared model's name for it (Chromium's `CorsError`).
        var reason: CORSFailure.Reason
        /// `preflight` or `response`: which response failed.
        var stage: String
        /// What went wrong and how to fix it on the server.
        var explanation: String
    }

    /// Where it came from: `console` or `har`.
    var source: String
    /// The engine whose words these are.
    var engine: BrowserEngine
    /// The engine's name for the reason (Firefox's MDN name, WebKit's identifier, Chromium's `CorsError`).
    var messageID: String
    /// The reason in the engine's words.
    var reasonText: String
    /// Firefox's MDN page.
    var documentationURL: String?
    /// The request's URL, when the input names it.
    var url: String?
    /// The page's origin, when the input names it.
    var origin: String?
    /// The request's method, when known.
    var method: String?
    /// A request header the failure names, when known.
    var header: String?
    /// The failing response's status, when known.
    var status: String?
    /// Whether the request was blocked (`false` for a warning only).
    var isBlocked: Bool
    /// The causes that fit, most likely first.
    var causes: [Cause]
    /// When several causes fit: what decides between them.
    var decidingProbe: String?
    /// For a message that stands for no CORS rule: what it means.
    var note: String?
    /// The input lines this finding explains.
    var lines: [String]
    /// What the input cannot tell (sanitized HAR exports, a missing origin).
    var unknowns: [String] = []

    /// Whether a credentials-related cause is among the candidates.
    private var involvesCredentials: Bool {
        causes.contains {
            [.wildcardOriginNotAllowed, .preflightWildcardOriginNotAllowed, .invalidAllowCredentials, .preflightInvalidAllowCredentials]
                .contains($0.reason)
        }
    }

    /// The `cors check` command that sends the same request and names the cause for certain.
    var command: String? {
        guard let url else { return nil }
        var words = ["cors", "check", Self.quoted(url), "--origin", Self.quoted(origin ?? "PAGE_ORIGIN")]
        if let method, method != "GET" { words += ["--method", Self.quoted(method)] }
        if let header { words += ["-H", Self.quoted("\(header): \(Self.sampleValue(for: header))")] }
        if involvesCredentials { words += ["--credentials", "include"] }
        words += ["--browser", engine.rawValue]
        return words.joined(separator: " ")
    }

    /// A value that keeps `header` CORS-unsafe, so the check sends the same preflight.
    static func sampleValue(for header: String) -> String {
        switch header.lowercased() {
        case "content-type": "application/json"
        case "authorization": "Bearer TOKEN"
        case "accept", "accept-language", "content-language": "x/(unsafe)"
        case "range": "bytes=-1"
        default: "1"
        }
    }

    /// `text` quoted for a POSIX shell when it needs it.
    static func quoted(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || "-_./:@%+=,".unicodeScalars.contains($0)
        }
        return plain && !text.isEmpty ? text : "'" + text.replacingAll("'", with: "'\\''") + "'"
    }
}

extension CORSFailure.Reason {
    /// Which response fails with this reason.
    var stage: String {
        switch self {
        case .missingAllowOriginHeader, .wildcardOriginNotAllowed, .multipleAllowOriginValues, .invalidAllowOriginValue,
            .allowOriginMismatch, .invalidAllowCredentials, .redirectContainsCredentials:
            "response"
        default:
            "preflight"
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var output = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
