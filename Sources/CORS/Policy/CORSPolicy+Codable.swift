extension CORSPolicy: Codable {
    /// The JSON keys of a policy, as in the project's policy files: ``CORSPolicySettings/keys``.
    public typealias CodingKeys = CORSPolicyKey

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
            .filter { CORSPolicyKey(stringValue: $0) == nil }
        let container = try decoder.container(keyedBy: CORSPolicyKey.self)
        var settings = CORSPolicySettings()
        for key in CORSPolicySettings.keys {
            switch key.kind {
            case .list:
                if let list = try container.decodeIfPresent([String].self, forKey: key) { settings[key] = .list(list) }
            case .flag:
                if let flag = try container.decodeIfPresent(Bool.self, forKey: key) { settings[key] = .flag(flag) }
            case .integer, .optionalInteger:
                if let number = try container.decodeIfPresent(Int.self, forKey: key) { settings[key] = .integer(number) }
            }
        }
        let unknownProblems = unknown.sorted().map(CORSPolicy.unknownKeyProblem)
        do {
            try self.init(settings)
        } catch {
            throw CORSPolicyError(problems: unknownProblems + error.problems)
        }
        if !unknownProblems.isEmpty {
            throw CORSPolicyError(problems: unknownProblems + warnings)
        }
    }

    /// Encodes the policy with the keys of ``CORSPolicySettings/keys``. The origin, credential,
    /// method and header lists are always written, so that a reader sees what is allowed; the
    /// other settings only when they differ from their default.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CORSPolicyKey.self)
        for key in CORSPolicySettings.keys {
            let value = settings[key]
            if value == key.defaultValue && !Self.alwaysEncoded.contains(key.stringValue) { continue }
            switch value {
            case .list(let list): try container.encode(list, forKey: key)
            case .flag(let flag): try container.encode(flag, forKey: key)
            case .integer(let number): try container.encodeIfPresent(number, forKey: key)
            }
        }
    }

    /// Keys written even at their default: what a reader of the policy looks for first.
    private static let alwaysEncoded: Set = [
        "allowOrigins", "allowCredentials", "allowMethods", "allowHeaders", "exposeHeaders", "allowPrivateNetwork",
    ]

    /// The problem reported for a key that a policy does not have, with the closest known key.
    public static func unknownKeyProblem(_ key: String) -> CORSPolicyProblem {
        let known = CORSPolicySettings.keys.map(\.stringValue)
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
