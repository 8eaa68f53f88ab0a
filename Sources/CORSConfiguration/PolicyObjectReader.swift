import CORS

/// Reads one JSON object of policy settings (a plain policy file, or one profile): checks every
/// key and the JSON type of every value, and keeps what it can.
///
/// Problems of the file's form are findings with the exact key path and position: unknown keys
/// (with the closest known key), keys written twice, values of the wrong type. Values of the
/// wrong type are left out, and the core's findings about those keys are suppressed, so that a
/// string where an array belongs does not also report "no origins".
struct PolicyObjectReader {
    /// The key, besides the policy's own, that a policy object may have.
    static let setsCookiesKey = "setsCookies"

    /// `profiles.production.` or empty: prepended to every key.
    let prefix: String

    var settings = CORSPolicySettings()
    var sources: [CORSPolicy.CodingKeys: SettingSource] = [:]
    var findings: [CORSPolicyFinding] = []
    /// Keys whose whole value had the wrong type.
    var brokenKeys: Set<CORSPolicy.CodingKeys> = []
    /// `setsCookies`, when the object says.
    var setsCookies: Bool?

    init(prefix: String) {
        self.prefix = prefix
    }

    /// Reads `members`, in the order written.
    mutating func read(_ members: [JSONNode.Member]) {
        var firstPosition: [String: CORSSourcePosition] = [:]
        for member in members {
            let path = prefix + member.key
            if let first = firstPosition[member.key] {
                findings.append(
                    CORSPolicyFinding(
                        severity: .error, code: .duplicateKey, path: path,
                        message: "\"\(member.key)\" is written twice in this object (first at \(first)); JSON readers silently keep only one of them.",
                        fix: "keep a single \"\(member.key)\" entry.", position: member.keyPosition))
            } else {
                firstPosition[member.key] = member.keyPosition
            }
            if member.key == Self.setsCookiesKey {
                readSetsCookies(member.value, path: path)
            } else if let key = CORSPolicy.CodingKeys(rawValue: member.key) {
                read(key, member.value, path: path)
            } else {
                findings.append(Self.unknownKey(member, path: path, extraCandidates: [Self.setsCookiesKey]))
            }
        }
    }

    private mutating func readSetsCookies(_ node: JSONNode, path: String) {
        guard case .bool(let flag) = node.value else {
            findings.append(Self.wrongType(node, path: path, expected: .flag))
            return
        }
        setsCookies = flag
    }

    /// What to write instead of a number a key cannot hold, for the keys whose unit matters.
    private static let wholeNumberFix = [
        "maxAge": "write a whole number of seconds, such as 600.", "preflightStatus": "write 204 or 200.",
    ]

    private mutating func read(_ key: CORSPolicy.CodingKeys, _ node: JSONNode, path: String) {
        let kind = key.kind
        switch (kind, node.value) {
        case (.list, .array(let elements)):
            var strings: [String] = []
            var indices: [Int] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element.value else {
                    findings.append(
                        CORSPolicyFinding(
                            severity: .error, code: CORSPolicyFinding.Code(.invalidValue), path: "\(path)[\(index)]",
                            message: "\(element.excerpt) is \(element.kindDescription); every entry of \(key.rawValue) is a string.",
                            fix: Self.quotedFix(element), position: element.position))
                    continue
                }
                strings.append(text)
                indices.append(index)
            }
            settings[key] = .list(strings)
            sources[key] = .file(keyPath: path, node: node, elementIndices: indices)
        case (.flag, .bool(let flag)):
            settings[key] = .flag(flag)
            sources[key] = .file(keyPath: path, node: node, elementIndices: [])
        case (.integer, .number(let text)), (.optionalInteger, .number(let text)):
            guard let number = Int(text) else {
                findings.append(
                    CORSPolicyFinding(
                        severity: .error, code: CORSPolicyFinding.Code(.invalidValue), path: path,
                        message: "\(text) is not a whole number that \(key.rawValue) can hold.",
                        fix: Self.wholeNumberFix[key.stringValue] ?? "write a whole number.",
                        position: node.position))
                brokenKeys.insert(key)
                return
            }
            settings[key] = .integer(number)
            sources[key] = .file(keyPath: path, node: node, elementIndices: [])
        default:
            findings.append(Self.wrongType(node, path: path, expected: kind))
            brokenKeys.insert(key)
        }
    }

    /// A value of the wrong JSON type, with the spelling to use instead when it is obvious.
    static func wrongType(_ node: JSONNode, path: String, expected: CORSPolicyKey.Kind) -> CORSPolicyFinding {
        let fix: String
        switch (expected, node.value) {
        case (.list, .string(let text)):
            fix = "write an array, even for one entry: [\(node.excerpt)]" + (text.contains(",") ? ", one entry per string." : ".")
        case (.flag, .string(let text)) where text == "true" || text == "false":
            fix = "write \(text) without quotes."
        case (.integer, .string(let text)) where Int(text) != nil, (.optionalInteger, .string(let text)) where Int(text) != nil:
            fix = "write \(text) without quotes."
        case (_, .null):
            fix = "remove the key to use the default, or write \(expected.description)."
        default:
            fix = "write \(expected.description)."
        }
        return CORSPolicyFinding(
            severity: .error, code: CORSPolicyFinding.Code(.invalidValue), path: path,
            message: "expected \(expected.description), found \(node.kindDescription) (\(node.excerpt)).",
            fix: fix, position: node.position)
    }

    /// The core's unknown-key problem, placed in the file, suggesting a file-level key when it
    /// is the closer one.
    static func unknownKey(_ member: JSONNode.Member, path: String, extraCandidates: [String]) -> CORSPolicyFinding {
        let problem = CORSPolicy.unknownKeyProblem(member.key)
        var finding = CORSPolicyFinding(problem, path: path, position: member.keyPosition)
        let policyKeys = CORSPolicy.CodingKeys.allCases.map(\.rawValue)
        if let best = KeySuggestion.closest(to: member.key, among: policyKeys + extraCandidates),
            extraCandidates.contains(best)
        {
            finding.fix = "did you mean \"\(best)\"?"
        }
        return finding
    }

    private static func quotedFix(_ node: JSONNode) -> String {
        switch node.value {
        case .number(let text): "write it as a string, \"\(text)\", or remove it."
        case .array: "write one string per entry; the list must not be nested."
        default: "write a string in double quotes, or remove the entry."
        }
    }
}
