public import CORS

/// One policy as configured — a plain policy file, one profile of a file, or settings from a
/// `ConfigReader` — with everything known about it, ready to be linted or turned into a
/// `CORSPolicy`.
///
/// ``findings`` runs the core's validation (one source of truth) on the settings, places each
/// problem at its key path and position in the file (or at its configuration key), and adds the
/// file's own findings and, for the profile named `production`, the stricter production checks.
public struct CORSPolicyProfile: Sendable {
    /// The profile whose checks are stricter, and the one chosen when none is named.
    public static let production = ProductionRules.profileName

    /// The file the settings come from, if any.
    public let file: String?
    /// The profile's name: its key under `profiles`, or the profile a plain file is checked as.
    public let name: String
    /// The settings, after any overrides.
    public private(set) var settings: CORSPolicySettings
    /// Whether the API sets cookies: from `"setsCookies"` in the profile, else at the top of
    /// the file, else from configuration. Only the production profile uses it: there, `*` in
    /// `allowOrigins` of an API that sets cookies is an error.
    public private(set) var setsCookies: Bool

    var sources: [CORSPolicy.CodingKeys: SettingSource]
    /// Findings about the file's form (unknown keys, duplicates, wrong types).
    var formFindings: [CORSPolicyFinding]
    /// Keys whose value had the wrong type: the core's findings about them are not reported.
    var brokenKeys: Set<CORSPolicy.CodingKeys>
    /// Where keys that were not written at all are reported: `profiles.production.` or `cors.`.
    var defaultPrefix: String
    /// The profile's value is not an object: only the form findings are reported.
    var isUnreadable = false

    /// A profile made in code, for example to apply configuration overrides to defaults.
    ///
    /// - Parameters:
    ///   - name: Its name; `production` gets the stricter checks.
    ///   - settings: The starting settings.
    ///   - setsCookies: Whether the API sets cookies.
    public init(name: String = CORSPolicyProfile.production, settings: CORSPolicySettings = .init(), setsCookies: Bool = false) {
        self.init(
            file: nil, name: name, settings: settings, setsCookies: setsCookies, sources: [:], formFindings: [],
            brokenKeys: [], defaultPrefix: "")
    }

    init(
        file: String?, name: String, settings: CORSPolicySettings, setsCookies: Bool,
        sources: [CORSPolicy.CodingKeys: SettingSource], formFindings: [CORSPolicyFinding],
        brokenKeys: Set<CORSPolicy.CodingKeys>, defaultPrefix: String
    ) {
        self.file = file
        self.name = name
        self.settings = settings
        self.setsCookies = setsCookies
        self.sources = sources
        self.formFindings = formFindings
        self.brokenKeys = brokenKeys
        self.defaultPrefix = defaultPrefix
    }

    /// Whether the stricter production checks apply: the profile is named `production`.
    public var isProduction: Bool { name == Self.production }

    /// Every finding, errors and warnings — the file's form, the core's validation and the
    /// production checks — each at its key path (and position, for files), in the order they
    /// appear in the file; findings without a position (a missing key, a configuration value)
    /// come last.
    public var findings: [CORSPolicyFinding] {
        guard !isUnreadable else { return formFindings }
        let problems = settings.problems()
        var result = formFindings
        result += problems.filter { !isSuppressed($0) }.map { place(CORSPolicyFinding($0)) }
        if isProduction {
            // A key of the wrong type was left empty, so these never report on it.
            result += ProductionRules.findings(settings, setsCookies: setsCookies, coreProblems: problems)
                .map(place)
        }
        // In reading order, like a compiler's diagnostics; findings without a position last.
        return result.enumerated().sorted { lhs, rhs in
            switch (lhs.element.position, rhs.element.position) {
            case (let left?, let right?) where left != right: left < right
            case (.some, .none): true
            case (.none, .some): false
            default: lhs.offset < rhs.offset
            }
        }.map(\.element)
    }

    /// Whether any finding is an error.
    public var hasErrors: Bool { findings.contains { $0.severity == .error } }

    /// The validated policy.
    ///
    /// - Throws: ``CORSConfigurationError/invalid(file:profile:findings:)`` with every finding
    ///   when any is an error — including the file's own (an unknown key) and the production
    ///   profile's.
    public func policy() throws(CORSConfigurationError) -> CORSPolicy {
        let findings = findings
        if findings.contains(where: { $0.severity == .error }) {
            throw .invalid(file: file, profile: name, findings: findings)
        }
        do {
            return try settings.policy()
        } catch {
            // Unreachable: the same validation found no error above.
            throw .invalid(file: file, profile: name, findings: error.problems.map { place(CORSPolicyFinding($0)) })
        }
    }

    /// Replaces one setting, and remembers where the new value came from.
    mutating func override(_ key: CORSPolicy.CodingKeys, with value: CORSPolicyValue, source: SettingSource) {
        settings[key] = value
        sources[key] = source
        brokenKeys.remove(key)
    }

    /// Replaces `setsCookies`.
    mutating func overrideSetsCookies(_ value: Bool) {
        setsCookies = value
    }

    /// Adds a finding about a setting's source (a configuration value of the wrong type).
    mutating func addFormFinding(_ finding: CORSPolicyFinding, breaking key: CORSPolicy.CodingKeys?) {
        formFindings.append(finding)
        if let key { brokenKeys.insert(key) }
    }

    // MARK: - Placing findings

    private func key(of path: String) -> CORSPolicy.CodingKeys? {
        CORSPolicy.CodingKeys(rawValue: RelativePath(path).key)
    }

    private func isSuppressed(_ problem: CORSPolicyProblem) -> Bool {
        if problem.code == .noOrigins {
            return brokenKeys.contains { ["allowOrigins", "allowOriginPatterns"].contains($0.stringValue) }
        }
        guard let key = key(of: problem.path) else { return false }
        return brokenKeys.contains(key)
    }

    /// Moves a finding with a path relative to the policy to its place in the file or the
    /// configuration.
    private func place(_ finding: CORSPolicyFinding) -> CORSPolicyFinding {
        let relative = RelativePath(finding.path)
        var placed = finding
        if let key = CORSPolicy.CodingKeys(rawValue: relative.key), let source = sources[key] {
            let (path, position) = source.place(index: relative.index)
            placed.path = path
            placed.position = position
        } else {
            placed.path = defaultPrefix + finding.path
        }
        return placed
    }
}
