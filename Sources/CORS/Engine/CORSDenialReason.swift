/// Why a CORS request was refused — precise enough to log and to count.
public enum CORSDenialReason: Sendable, Hashable, CustomStringConvertible {
    /// The origin is not trusted by the policy (nor by its origin predicate, if any).
    case originNotAllowed(origin: String)
    /// The policy's origin predicate threw or timed out, so the origin was denied.
    case originPredicateFailed(origin: String, failure: CORSOriginPredicateFailure)
    /// The request carried several `Origin` field lines, which no browser sends.
    case multipleOrigins
    /// A trusted origin's preflight asked for a method the policy does not allow.
    case methodNotAllowed(method: String)
    /// A trusted origin's preflight asked for a header the policy does not allow (lowercased).
    case headerNotAllowed(name: String)
    /// `Access-Control-Request-Method` is not a single valid method token.
    case malformedRequestMethod
    /// `Access-Control-Request-Headers` is not a list of header names.
    case malformedRequestHeaders
    /// `Access-Control-Request-Headers` is longer than any browser sends; refused unread.
    case requestHeadersTooLarge(byteCount: Int)

    /// The kind of a denial, without its details: what metrics count by.
    public enum Kind: Int, Sendable, Hashable, CaseIterable {
        case origin, originPredicateFailed, multipleOrigins, method, header
        case malformedMethod, malformedHeaders, headersTooLarge

        /// A stable, low-cardinality label for metrics: `origin`, `method`, `header`, …
        public var label: String {
            switch self {
            case .origin: "origin"
            case .originPredicateFailed: "origin-predicate-failed"
            case .multipleOrigins: "multiple-origins"
            case .method: "method"
            case .header: "header"
            case .malformedMethod: "malformed-method"
            case .malformedHeaders: "malformed-headers"
            case .headersTooLarge: "headers-too-large"
            }
        }
    }

    /// The kind of denial.
    public var kind: Kind {
        switch self {
        case .originNotAllowed: .origin
        case .originPredicateFailed: .originPredicateFailed
        case .multipleOrigins: .multipleOrigins
        case .methodNotAllowed: .method
        case .headerNotAllowed: .header
        case .malformedRequestMethod: .malformedMethod
        case .malformedRequestHeaders: .malformedHeaders
        case .requestHeadersTooLarge: .headersTooLarge
        }
    }

    /// A stable, low-cardinality label for metrics: `origin`, `method`, `header`, …
    public var label: String { kind.label }

    /// A sentence for logs, naming the rule that refused the request.
    public var description: String {
        switch self {
        case .originNotAllowed(let origin):
            "origin \(origin.debugDescriptionBounded) is not allowed (not in allowOrigins, matches no allowOriginPatterns)"
        case .originPredicateFailed(let origin, let failure):
            "origin \(origin.debugDescriptionBounded) was denied because \(failure)"
        case .multipleOrigins:
            "the request has several Origin headers"
        case .methodNotAllowed(let method):
            "method \(method.debugDescriptionBounded) is not in allowMethods"
        case .headerNotAllowed(let name):
            "request header \(name.debugDescriptionBounded) is not in allowHeaders"
        case .malformedRequestMethod:
            "Access-Control-Request-Method is not a single method name"
        case .malformedRequestHeaders:
            "Access-Control-Request-Headers is not a comma-separated list of header names"
        case .requestHeadersTooLarge(let count):
            "Access-Control-Request-Headers is too large (\(count) bytes, more than any browser sends)"
        }
    }
}

extension String {
    /// A quoted, length-capped rendering of client-controlled text for log lines.
    var debugDescriptionBounded: String {
        let limit = 200
        let text = utf8.count > limit ? String(decoding: utf8.prefix(limit), as: UTF8.self) + "…" : self
        return "\"" + text.map { $0.isASCII && !$0.isASCIIControl ? String($0) : $0.unicodeScalars.map { "\\u{\(String($0.value, radix: 16))}" }.joined() }.joined() + "\""
    }
}

extension Character {
    fileprivate var isASCIIControl: Bool {
        guard let ascii = asciiValue else { return false }
        return ascii < 0x20 || ascii == 0x7F
    }
}
