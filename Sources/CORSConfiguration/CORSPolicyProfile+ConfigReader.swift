import CORS
public import Configuration

@available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
extension CORSPolicyProfile {
    /// The configuration key under `scope` that names a policy file (`cors.policyFile`,
    /// environment variable `CORS_POLICY_FILE`).
    public static let policyFileKey = "policyFile"
    /// The configuration key under `scope` that names the profile (`cors.profile`,
    /// environment variable `CORS_PROFILE`).
    public static let profileKey = "profile"

    /// Loads a policy the way a server configures it: from the policy file named by `file` or
    /// by `<scope>.policyFile` (if any), its profile named by `profile`, `<scope>.profile` or
    /// `production`, then every setting `config` has under `scope` on top.
    ///
    /// With `EnvironmentVariablesProvider` and the default scope `cors`, the keys are the
    /// environment variables `CORS_POLICY_FILE`, `CORS_PROFILE`, `CORS_ALLOW_ORIGINS`,
    /// `CORS_ALLOW_CREDENTIALS`, … (see ``applyOverrides(from:scope:)``).
    ///
    /// - Returns: The profile with every finding; call ``policy()`` for the policy.
    /// - Throws: ``CORSConfigurationError`` when the file cannot be read or parsed, or lacks
    ///   the profile.
    public static func load(
        config: ConfigReader, scope: String? = "cors", file: String? = nil, profile: String? = nil
    ) throws(CORSConfigurationError) -> CORSPolicyProfile {
        let scoped = scope.map { config.scoped(to: ConfigKey($0)) } ?? config
        let profileName = profile ?? nonEmpty(scoped.string(forKey: ConfigKey(profileKey))) ?? Self.production
        var result: CORSPolicyProfile
        if let path = file ?? nonEmpty(scoped.string(forKey: ConfigKey(policyFileKey))) {
            result = try CORSPolicyFile(contentsOfFile: path).profile(profileName)
        } else {
            result = CORSPolicyProfile(name: profileName)
            result.defaultPrefix = scope.map { $0 + "." } ?? ""
        }
        result.applyOverrides(from: config, scope: scope)
        return result
    }

    /// Replaces every setting that `config` has under `scope` (`cors.allowOrigins`, …), keeping
    /// the others; findings about a replaced setting then name its configuration key.
    ///
    /// | Key (scope `cors`)        | Environment variable          | Type                          |
    /// |---------------------------|-------------------------------|-------------------------------|
    /// | `cors.allowOrigins`       | `CORS_ALLOW_ORIGINS`          | comma-separated list          |
    /// | `cors.allowOriginPatterns`| `CORS_ALLOW_ORIGIN_PATTERNS`  | comma-separated list          |
    /// | `cors.allowCredentials`   | `CORS_ALLOW_CREDENTIALS`      | `true`/`false` (`1`/`0`, `yes`/`no`) |
    /// | `cors.allowMethods`       | `CORS_ALLOW_METHODS`          | comma-separated list          |
    /// | `cors.allowHeaders`       | `CORS_ALLOW_HEADERS`          | comma-separated list          |
    /// | `cors.exposeHeaders`      | `CORS_EXPOSE_HEADERS`         | comma-separated list          |
    /// | `cors.maxAge`             | `CORS_MAX_AGE`                | whole number of seconds       |
    /// | `cors.allowPrivateNetwork`| `CORS_ALLOW_PRIVATE_NETWORK`  | `true`/`false`                |
    /// | `cors.preflightStatus`    | `CORS_PREFLIGHT_STATUS`       | `204` or `200`                |
    /// | `cors.setsCookies`        | `CORS_SETS_COOKIES`           | `true`/`false`                |
    ///
    /// The two `dangerously…` settings are read too (`CORS_DANGEROUSLY_ALLOW_NULL_ORIGIN`,
    /// `CORS_DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS`). An empty list value sets an
    /// empty list; empty list entries are dropped. A value of the wrong type (`CORS_MAX_AGE=ten`)
    /// is an `invalid-value` error finding.
    public mutating func applyOverrides(from config: ConfigReader, scope: String? = "cors") {
        let scoped = scope.map { config.scoped(to: ConfigKey($0)) } ?? config
        let prefix = scope.map { $0 + "." } ?? ""
        for key in CORSPolicy.CodingKeys.allCases {
            let configKey = prefix + key.rawValue
            let kind = key.kind
            switch Self.read(key.rawValue, kind: kind, from: scoped) {
            case .absent:
                continue
            case .value(let value):
                override(key, with: value, source: .configuration(key: configKey))
            case .invalid(let text):
                addFormFinding(Self.invalidValue(configKey, text: text, kind: kind), breaking: key)
            }
        }
        switch Self.read(PolicyObjectReader.setsCookiesKey, kind: .flag, from: scoped) {
        case .absent: break
        case .value(let value): if case .flag(let flag) = value { overrideSetsCookies(flag) }
        case .invalid(let text):
            addFormFinding(
                Self.invalidValue(prefix + PolicyObjectReader.setsCookiesKey, text: text, kind: .flag), breaking: nil)
        }
    }

    private enum ReadResult {
        case absent
        case value(CORSPolicyValue)
        case invalid(String)
    }

    private static func read(_ name: String, kind: CORSPolicyKey.Kind, from config: ConfigReader) -> ReadResult {
        let key = ConfigKey(name)
        switch kind {
        case .list:
            if let list = config.stringArray(forKey: key) {
                return .value(.list(list.map(trimmed).filter { !$0.isEmpty }))
            }
            if let text = config.string(forKey: key) {
                return .value(.list(text.split(separator: ",").map { trimmed(String($0)) }.filter { !$0.isEmpty }))
            }
        case .flag:
            if let flag = config.bool(forKey: key) { return .value(.flag(flag)) }
            if let text = config.string(forKey: key) { return .invalid(text) }
        case .integer, .optionalInteger:
            if let number = config.int(forKey: key) { return .value(.integer(number)) }
            if let text = config.string(forKey: key) {
                if let number = Int(trimmed(text)) { return .value(.integer(number)) }
                return .invalid(text)
            }
        }
        return .absent
    }

    private static func invalidValue(_ configKey: String, text: String, kind: CORSPolicyKey.Kind) -> CORSPolicyFinding {
        let variable = environmentVariableName(configKey)
        return CORSPolicyFinding(
            severity: .error, code: CORSPolicyFinding.Code(.invalidValue), path: configKey,
            message: "\(configKey) (environment variable \(variable)) is \"\(text)\", which is not \(kind.description).",
            fix: kind == .flag ? "set \(variable)=true or \(variable)=false." : "set \(variable) to a whole number, e.g. \(variable)=600.")
    }

    /// `cors.allowOrigins` → `CORS_ALLOW_ORIGINS`, as `EnvironmentVariablesProvider` names it.
    static func environmentVariableName(_ configKey: String) -> String {
        var name = ""
        var previous: Character?
        for character in configKey {
            if let previous, previous.isLowercase, character.isUppercase { name.append("_") }
            name += character.isLetter || character.isNumber ? character.uppercased() : "_"
            previous = character
        }
        return name
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
