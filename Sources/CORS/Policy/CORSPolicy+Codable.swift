extension CORSPolicy: Codable {
    /// The JSON keys of a policy, as in the project's policy files.
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case allowOrigins, allowOriginPatterns, allowCredentials, allowMethods, allowHeaders
        case exposeHeaders, maxAge, allowPrivateNetwork, preflightStatus
        case dangerouslyAllowNullOrigin, dangerouslyAllowInsecureOriginsWithCredentials
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes and validates a policy. Unknown keys are refused with a ``CORSPolicyError``
    /// (code ``CORSPolicyProblem/Code/unknownKey``), as are invalid policies; wrong JSON types
    /// raise the decoder's `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys
            .map(\.stringValue)
            .filter { CodingKeys(rawValue: $0) == nil }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func list(_ key: CodingKeys) throws -> [String] {
            try container.decodeIfPresent([String].self, forKey: key) ?? []
        }
        func flag(_ key: CodingKeys) throws -> Bool {
            try container.decodeIfPresent(Bool.self, forKey: key) ?? false
        }
        let unknownProblems = unknown.sorted().map(CORSPolicy.unknownKeyProblem)
        do {
            try self.init(
                allowOrigins: list(.allowOrigins),
                allowOriginPatterns: list(.allowOriginPatterns),
                allowCredentials: flag(.allowCredentials),
                allowMethods: list(.allowMethods),
                allowHeaders: list(.allowHeaders),
                exposeHeaders: list(.exposeHeaders),
                maxAge: container.decodeIfPresent(Int.self, forKey: .maxAge),
                allowPrivateNetwork: flag(.allowPrivateNetwork),
                preflightStatus: container.decodeIfPresent(Int.self, forKey: .preflightStatus) ?? 204,
                dangerouslyAllowNullOrigin: flag(.dangerouslyAllowNullOrigin),
                dangerouslyAllowInsecureOriginsWithCredentials: flag(
                    .dangerouslyAllowInsecureOriginsWithCredentials)
            )
        } catch let error as CORSPolicyError {
            throw CORSPolicyError(problems: unknownProblems + error.problems)
        }
        if !unknownProblems.isEmpty {
            throw CORSPolicyError(problems: unknownProblems + warnings)
        }
    }

    /// Encodes the policy with the keys of ``CodingKeys``, leaving out settings at their default.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(allowOrigins, forKey: .allowOrigins)
        if !allowOriginPatterns.isEmpty {
            try container.encode(allowOriginPatterns, forKey: .allowOriginPatterns)
        }
        try container.encode(allowCredentials, forKey: .allowCredentials)
        try container.encode(allowMethods, forKey: .allowMethods)
        try container.encode(allowHeaders, forKey: .allowHeaders)
        try container.encode(exposeHeaders, forKey: .exposeHeaders)
        try container.encodeIfPresent(maxAge, forKey: .maxAge)
        try container.encode(allowPrivateNetwork, forKey: .allowPrivateNetwork)
        if preflightStatus != 204 { try container.encode(preflightStatus, forKey: .preflightStatus) }
        if dangerouslyAllowNullOrigin {
            try container.encode(true, forKey: .dangerouslyAllowNullOrigin)
        }
        if dangerouslyAllowInsecureOriginsWithCredentials {
            try container.encode(true, forKey: .dangerouslyAllowInsecureOriginsWithCredentials)
        }
    }

    /// The problem reported for a key that a policy does not have, with the closest known key.
    public static func unknownKeyProblem(_ key: String) -> CORSPolicyProblem {
        let known = CodingKeys.allCases.map(\.rawValue)
        let fix: String
        if let closest = closestSpelling(to: key, among: known) {
            fix = "did you mean \"\(closest)\"?"
        } else {
            fix = "remove it; the known keys are \(known.joined(separator: ", "))."
        }
        return CORSPolicyProblem(
            code: .unknownKey, severity: .error, path: key,
            message: "\"\(key)\" is not a policy setting; ignoring it could silently allow nothing or everything.",
            fix: fix)
    }

    /// The candidate closest to `key`, when it is close enough to be a typo; shared with the
    /// policy-file loader, which knows more keys (`profiles`, `setsCookies`).
    package static func closestSpelling(to key: String, among candidates: [String]) -> String? {
        let best = candidates.min { editDistance($0, key) < editDistance($1, key) }
        guard let best, editDistance(best, key) <= max(2, key.count / 3) else { return nil }
        return best
    }

    /// Levenshtein distance, case-insensitive: `allowOrigin` is 1 away from `allowOrigins`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased().utf8)
        let b = Array(b.lowercased().utf8)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
