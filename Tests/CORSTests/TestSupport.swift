import HTTPTypes
public import Testing

@testable public import CORS

/// Builds an `HTTPRequest` to `https://api.example.com/me` with the given fields, in order.
func makeRequest(_ method: HTTPRequest.Method = .get, _ fields: [HTTPField] = []) -> HTTPRequest {
    HTTPRequest(
        method: method, scheme: "https", authority: "api.example.com", path: "/me",
        headerFields: HTTPFields(fields))
}

/// A preflight: OPTIONS + Origin + Access-Control-Request-Method (+ optional request headers).
func preflight(
    origin: String, method: String, headers: String? = nil, extra: [HTTPField] = []
) -> HTTPRequest {
    var fields = [
        HTTPField(name: .origin, value: origin),
        HTTPField(name: .accessControlRequestMethod, value: method),
    ]
    if let headers { fields.append(HTTPField(name: .accessControlRequestHeaders, value: headers)) }
    return makeRequest(.options, fields + extra)
}

/// An actual (non-preflight) request with an Origin.
func actual(_ method: HTTPRequest.Method = .get, origin: String?) -> HTTPRequest {
    makeRequest(method, origin.map { [HTTPField(name: .origin, value: $0)] } ?? [])
}

/// Every field as `name: value`, lowercased name, sorted: an exact, order-independent picture
/// of a field list (a missing, extra or duplicated field all change it).
func fieldLines(_ fields: HTTPFields) -> [String] {
    fields.map { "\($0.name.canonicalName): \($0.value)" }.sorted()
}

/// Builds the expected `fieldLines` from display-case pairs.
func lines(_ pairs: KeyValuePairs<String, String>) -> [String] {
    pairs.map { "\($0.key.lowercased()): \($0.value)" }.sorted()
}

/// The `Access-Control-*` fields of a field list.
func accessControlFields(_ fields: HTTPFields) -> [HTTPField] {
    fields.filter { $0.name.canonicalName.hasPrefix("access-control-") }
}

/// The validation result as `code@path` strings, for exact comparisons.
func codesAndPaths(_ problems: [CORSPolicyProblem]) -> [String] {
    problems.map { "\($0.code.rawValue)@\($0.path)" }
}

/// A policy's settings, so that tables of policies can be `Sendable` values.
typealias PolicyInput = CORSPolicySettings

extension CORSPolicySettings: CustomTestStringConvertible {
    /// The settings that differ from their defaults, `allowOrigins: [...], allowCredentials: true`.
    public var testDescription: String {
        Self.keys.filter { self[$0] != $0.defaultValue }.map { key in
            switch self[key] {
            case .list(let list): "\(key): \(list)"
            case .flag(let flag): "\(key): \(flag)"
            case .integer(let number): "\(key): \(number.map(String.init) ?? "nil")"
            }
        }.joined(separator: ", ")
    }

    func make() throws(CORSPolicyError) -> CORSPolicy { try policy() }
}

/// Constructs a policy the test requires to be valid; records the error otherwise.
func validPolicy(_ input: PolicyInput, sourceLocation: SourceLocation = #_sourceLocation) throws -> CORSPolicy {
    do {
        return try input.make()
    } catch {
        Issue.record("expected a valid policy, got:\n\(error)", sourceLocation: sourceLocation)
        throw error
    }
}

enum Policies {
    /// The tutorial's policy.
    static let tutorial = CORSPolicy.tutorial
    /// The tutorial's origins and lists, plus a subdomain pattern and a localhost-any-port pattern.
    static let withPatterns = PolicyInput(
        allowOrigins: ["https://app.example.com"],
        allowOriginPatterns: ["https://*.example.com", "http://localhost:*"],
        allowCredentials: true,
        allowMethods: ["GET", "POST", "PUT", "DELETE"],
        allowHeaders: ["Authorization", "Content-Type"],
        exposeHeaders: ["X-Request-Id"],
        maxAge: 600)
    /// A public API: any origin, no credentials.
    static let publicAPI = PolicyInput(
        allowOrigins: ["*"], allowMethods: ["GET", "POST"], allowHeaders: ["Content-Type"],
        exposeHeaders: ["X-Request-Id"], maxAge: 600)
    /// One origin, no credentials, `*` methods and headers.
    static let wildcardLists = PolicyInput(
        allowOrigins: ["https://app.example.com"], allowMethods: ["*"], allowHeaders: ["*"])
}
