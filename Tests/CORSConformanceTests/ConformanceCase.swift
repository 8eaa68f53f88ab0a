import CORS
import Testing

/// One request, and exactly what every implementation must answer: the status, the
/// `Access-Control-*` fields in order, and the combined `Vary`.
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    var name: String
    var policy: ConformancePolicy
    var method: String
    var path: String
    var headers: [(String, String)]
    var status: Int
    /// Every `Access-Control-*` field of the response, in order.
    var cors: [(String, String)]
    /// Every `Vary` value of the response, joined with ", "; empty when there is none.
    var vary: String

    var testDescription: String { name }

    /// A case for the tutorial policy.
    init(
        _ name: String, _ method: String, _ path: String, _ headers: [(String, String)] = [], status: Int,
        cors: [(String, String)], vary: String
    ) {
        self.init(name, .tutorial, method, path, headers, status: status, cors: cors, vary: vary)
    }

    init(
        _ name: String, _ policy: ConformancePolicy, _ method: String, _ path: String,
        _ headers: [(String, String)] = [], status: Int, cors: [(String, String)], vary: String
    ) {
        self.name = name
        self.policy = policy
        self.method = method
        self.path = path
        self.headers = headers
        self.status = status
        self.cors = cors
        self.vary = vary
    }

    /// Whether the middleware answers it itself (OPTIONS + Origin + Access-Control-Request-Method).
    var isPreflight: Bool {
        method == "OPTIONS" && headers.contains { $0.0.lowercased() == "origin" }
            && headers.contains { $0.0.lowercased() == "access-control-request-method" }
    }
}

/// The policies the table uses.
enum ConformancePolicy: String, Sendable, CaseIterable {
    /// The tutorial's: two origins, credentials, GET/POST/PUT/DELETE, Authorization and
    /// Content-Type, expose X-Request-Id, max-age 600.
    case tutorial
    /// A public API: any origin, no credentials, any request header but Authorization.
    case publicAPI
    /// Patterns, Private Network Access and a 200 preflight status.
    case patterns
    /// A table: the tutorial's policy, and the public one under `/public`.
    case routed

    /// What the adapters are given.
    var table: CORSPolicyTable {
        switch self {
        case .routed: CORSPolicyTable(default: ConformancePolicy.tutorial.policy, routes: ["/public": ConformancePolicy.publicAPI.policy])
        default: CORSPolicyTable(policy)
        }
    }

    var policy: CORSPolicy {
        switch self {
        case .tutorial, .routed:
            return .tutorial
        case .publicAPI:
            // swiftlint:disable:next force_try
            return try! CORSPolicy(
                allowOrigins: ["*"], allowMethods: ["GET", "POST"], allowHeaders: ["*"], exposeHeaders: ["X-Request-Id"],
                maxAge: 7200)
        case .patterns:
            // swiftlint:disable:next force_try
            return try! CORSPolicy(
                allowOriginPatterns: ["https://*.example.com", "http://localhost:*"], allowMethods: ["PATCH"],
                allowHeaders: ["X-Api-Key"], maxAge: 600, allowPrivateNetwork: true, preflightStatus: 200)
        }
    }
}
