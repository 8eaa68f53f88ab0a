public import CORS

/// Builds a valid policy from fuzzed settings by dropping the list entries the validator
/// refuses (the problems name them by path, `allowHeaders[3]`), so that most inputs reach the
/// engine instead of stopping at validation.
public struct PolicyBuilder {
    public var allowOrigins: [String] = []
    public var allowOriginPatterns: [String] = []
    public var allowCredentials = false
    public var allowMethods: [String] = []
    public var allowHeaders: [String] = []
    public var exposeHeaders: [String] = []
    public var maxAge: Int?
    public var allowPrivateNetwork = false
    public var preflightStatus = 204
    public var dangerouslyAllowNullOrigin = false
    public var dangerouslyAllowInsecureOriginsWithCredentials = false

    public init() {}

    public func problems() -> [CORSPolicyProblem] {
        CORSPolicy.problems(
            allowOrigins: allowOrigins, allowOriginPatterns: allowOriginPatterns, allowCredentials: allowCredentials,
            allowMethods: allowMethods, allowHeaders: allowHeaders, exposeHeaders: exposeHeaders, maxAge: maxAge,
            allowPrivateNetwork: allowPrivateNetwork, preflightStatus: preflightStatus,
            dangerouslyAllowNullOrigin: dangerouslyAllowNullOrigin,
            dangerouslyAllowInsecureOriginsWithCredentials: dangerouslyAllowInsecureOriginsWithCredentials)
    }

    public func make() -> CORSPolicy? {
        try? CORSPolicy(
            allowOrigins: allowOrigins, allowOriginPatterns: allowOriginPatterns, allowCredentials: allowCredentials,
            allowMethods: allowMethods, allowHeaders: allowHeaders, exposeHeaders: exposeHeaders, maxAge: maxAge,
            allowPrivateNetwork: allowPrivateNetwork, preflightStatus: preflightStatus,
            dangerouslyAllowNullOrigin: dangerouslyAllowNullOrigin,
            dangerouslyAllowInsecureOriginsWithCredentials: dangerouslyAllowInsecureOriginsWithCredentials)
    }

    /// The policy, after dropping every refused list entry (a few rounds, since dropping
    /// `*` can change what else is refused); `nil` when it still does not validate.
    public func makeDroppingRefusedEntries() -> CORSPolicy? {
        var builder = self
        for _ in 0..<4 {
            if let policy = builder.make() { return policy }
            let errors = builder.problems().filter { $0.severity == .error }
            require(!errors.isEmpty, "CORSPolicy(...) threw but problems(...) lists no error")
            var changed = false
            for problem in errors {
                if problem.path == "maxAge" { builder.maxAge = nil; changed = true }
                if problem.path == "preflightStatus" { builder.preflightStatus = 204; changed = true }
            }
            for (key, keyPath) in Self.lists {
                let refused = Set(errors.compactMap { Self.index(in: $0.path, key: key) })
                guard !refused.isEmpty else { continue }
                builder[keyPath: keyPath] = builder[keyPath: keyPath].enumerated()
                    .filter { !refused.contains($0.offset) }.map(\.element)
                changed = true
            }
            if !changed { return nil }
        }
        return builder.make()
    }

    nonisolated(unsafe) static let lists: [(String, WritableKeyPath<PolicyBuilder, [String]>)] = [
        ("allowOrigins", \.allowOrigins), ("allowOriginPatterns", \.allowOriginPatterns),
        ("allowMethods", \.allowMethods), ("allowHeaders", \.allowHeaders), ("exposeHeaders", \.exposeHeaders),
    ]

    /// `3` for `allowHeaders[3]` and key `allowHeaders`.
    static func index(in path: String, key: String) -> Int? {
        guard path.hasPrefix(key + "["), path.hasSuffix("]") else { return nil }
        return Int(path.dropFirst(key.count + 1).dropLast())
    }
}
