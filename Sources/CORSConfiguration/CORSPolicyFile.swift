public import CORS
import Foundation

/// A JSON policy file: one policy, or several named profiles.
///
/// A plain policy file has the keys of `CORSPolicy` (see `CORSPolicy.CodingKeys`):
///
/// ```json
/// {"allowOrigins": ["https://app.example.com"], "allowCredentials": true, "setsCookies": true}
/// ```
///
/// A profiles file holds named policies under `profiles`, and may declare `setsCookies` for all
/// of them at the top:
///
/// ```json
/// {
///   "setsCookies": true,
///   "profiles": {
///     "development": {"allowOrigins": ["http://localhost:5173"], "allowCredentials": true},
///     "production": {"allowOrigins": ["https://app.example.com"], "allowCredentials": true}
///   }
/// }
/// ```
///
/// The profile is chosen with ``profile(_:)``: the name given, else the `CORS_PROFILE`
/// environment variable, else `production` (see ``selectedProfileName(_:environment:)``). A
/// plain file is checked as the chosen profile too, so a plain file is held to the production
/// rules unless another profile is named.
///
/// `setsCookies` says that the API sets cookies, which a policy cannot otherwise know; in the
/// production profile, `*` in `allowOrigins` is then an error
/// (`production-wildcard-with-cookies`).
///
/// Reading never stops at the first problem: unknown keys (with the closest known key), keys
/// written twice and values of the wrong type are findings with their key path
/// (`profiles.production.allowOrigins[1]`) and position, next to the core's validation.
/// Only an unreadable file, a JSON syntax error (with line and column), a top level that is not
/// an object, or a missing profile stop reading, with a ``CORSConfigurationError``.
public struct CORSPolicyFile: Sendable {
    /// The top-level key of a profiles file.
    public static let profilesKey = "profiles"
    /// The environment variable that names the profile when none is given.
    public static let profileEnvironmentVariable = "CORS_PROFILE"

    /// The file's name in messages: its path as given.
    public let name: String
    /// The profiles' names in the order written, or `nil` for a plain policy file.
    public let profileNames: [String]?

    private let members: [JSONNode.Member]

    /// Reads and parses the file at `path`.
    ///
    /// - Throws: ``CORSConfigurationError/unreadable(file:reason:)``,
    ///   ``CORSConfigurationError/syntax(file:position:message:)`` or
    ///   ``CORSConfigurationError/notAPolicyFile(file:message:)``.
    public init(contentsOfFile path: String) throws(CORSConfigurationError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(file: path, reason: Self.reason(for: error, path: path))
        }
        try self.init(bytes: Array(data), name: path)
    }

    /// Parses a policy file's contents.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents, UTF-8.
    ///   - name: How to name the file in messages.
    /// - Throws: ``CORSConfigurationError/syntax(file:position:message:)`` or
    ///   ``CORSConfigurationError/notAPolicyFile(file:message:)``.
    public init(bytes: [UInt8], name: String) throws(CORSConfigurationError) {
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw .syntax(file: name, position: error.position, message: error.message)
        }
        guard case .object(let members) = root.value else {
            throw .notAPolicyFile(
                file: name,
                message: "its top level is \(root.kindDescription); a policy file holds a JSON object such as {\"allowOrigins\": [\"https://app.example.com\"]}")
        }
        self.name = name
        self.members = members
        if let profiles = members.last(where: { $0.key == Self.profilesKey }), case .object(let named) = profiles.value.value {
            var names: [String] = []
            for member in named where !names.contains(member.key) { names.append(member.key) }
            self.profileNames = names
        } else if members.contains(where: { $0.key == Self.profilesKey }) {
            self.profileNames = []
        } else {
            self.profileNames = nil
        }
    }

    /// Parses a policy file's contents given as text.
    public init(json: String, name: String) throws(CORSConfigurationError) {
        try self.init(bytes: Array(json.utf8), name: name)
    }

    /// The profile to use: `explicit` when given, else `CORS_PROFILE` from `environment` (the
    /// process's environment when `nil`) when set and not empty, else `production`.
    public static func selectedProfileName(_ explicit: String?, environment: [String: String]? = nil) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let fromEnvironment = environment[profileEnvironmentVariable], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return CORSPolicyProfile.production
    }

    /// The profile named `name` (or the one ``selectedProfileName(_:environment:)`` picks),
    /// with every finding about it.
    ///
    /// - Throws: ``CORSConfigurationError/profileNotFound(file:profile:available:)`` when the
    ///   file has `profiles` but not this one.
    public func profile(_ name: String? = nil) throws(CORSConfigurationError) -> CORSPolicyProfile {
        let profileName = name ?? Self.selectedProfileName(nil)
        guard let profileNames else {
            var reader = PolicyObjectReader(prefix: "")
            reader.read(members)
            return CORSPolicyProfile(
                file: self.name, name: profileName, settings: reader.settings, setsCookies: reader.setsCookies ?? false,
                sources: reader.sources, formFindings: reader.findings, brokenKeys: reader.brokenKeys,
                defaultPrefix: "")
        }
        // The top level of a profiles file: `profiles` and `setsCookies` only.
        var topFindings: [CORSPolicyFinding] = []
        var topSetsCookies: Bool?
        var profilesNode: JSONNode?
        var seen: [String: CORSSourcePosition] = [:]
        for member in members {
            if let first = seen[member.key] {
                topFindings.append(
                    CORSPolicyFinding(
                        severity: .error, code: .duplicateKey, path: member.key,
                        message: "\"\(member.key)\" is written twice at the top level (first at \(first)); JSON readers silently keep only one of them.",
                        fix: "keep a single \"\(member.key)\" entry.", position: member.keyPosition))
            }
            seen[member.key] = seen[member.key] ?? member.keyPosition
            switch member.key {
            case Self.profilesKey:
                profilesNode = member.value
            case PolicyObjectReader.setsCookiesKey:
                if case .bool(let flag) = member.value.value {
                    topSetsCookies = flag
                } else {
                    topFindings.append(PolicyObjectReader.wrongType(member.value, path: member.key, expected: .flag))
                }
            default:
                if CORSPolicy.CodingKeys(rawValue: member.key) != nil {
                    topFindings.append(
                        CORSPolicyFinding(
                            severity: .error, code: CORSPolicyFinding.Code(.unknownKey), path: member.key,
                            message: "\"\(member.key)\" is at the top level of a file with \"profiles\", where no profile reads it.",
                            fix: "move it into each profile under \"profiles\"; the top level holds only \"profiles\" and \"setsCookies\".",
                            position: member.keyPosition))
                } else {
                    topFindings.append(
                        PolicyObjectReader.unknownKey(
                            member, path: member.key, extraCandidates: [Self.profilesKey, PolicyObjectReader.setsCookiesKey]))
                }
            }
        }
        let profilePath = Self.profilesKey + Self.pathComponent(profileName)
        guard let profilesNode, case .object(let profiles) = profilesNode.value else {
            // `profiles` is not an object: nothing to read a profile from.
            let node = profilesNode ?? JSONNode(value: .null, position: .init(line: 1, column: 1))
            var profile = CORSPolicyProfile(
                file: self.name, name: profileName, settings: .init(), setsCookies: topSetsCookies ?? false,
                sources: [:],
                formFindings: topFindings + [
                    CORSPolicyFinding(
                        severity: .error, code: CORSPolicyFinding.Code(.invalidValue), path: Self.profilesKey,
                        message: "expected an object of named policies, found \(node.kindDescription) (\(node.excerpt)).",
                        fix: "write \"profiles\": {\"development\": {…}, \"production\": {…}}.", position: node.position)
                ],
                brokenKeys: [], defaultPrefix: profilePath + ".")
            profile.isUnreadable = true
            return profile
        }
        var duplicateProfiles: [CORSPolicyFinding] = []
        var seenProfiles: [String: CORSSourcePosition] = [:]
        for member in profiles {
            if let first = seenProfiles[member.key] {
                duplicateProfiles.append(
                    CORSPolicyFinding(
                        severity: .error, code: .duplicateKey, path: Self.profilesKey + Self.pathComponent(member.key),
                        message: "profile \"\(member.key)\" is written twice (first at \(first)); JSON readers silently keep only one of them.",
                        fix: "keep a single \"\(member.key)\" profile.", position: member.keyPosition))
            } else {
                seenProfiles[member.key] = member.keyPosition
            }
        }
        guard let selected = profiles.last(where: { $0.key == profileName }) else {
            throw .profileNotFound(file: self.name, profile: profileName, available: profileNames)
        }
        guard case .object(let policyMembers) = selected.value.value else {
            var profile = CORSPolicyProfile(
                file: self.name, name: profileName, settings: .init(), setsCookies: topSetsCookies ?? false,
                sources: [:],
                formFindings: topFindings + duplicateProfiles + [
                    CORSPolicyFinding(
                        severity: .error, code: .invalidProfile, path: profilePath,
                        message: "profile \"\(profileName)\" is \(selected.value.kindDescription) (\(selected.value.excerpt)), not a policy object.",
                        fix: "write the profile as an object of policy settings: {\"allowOrigins\": [\"https://app.example.com\"]}.",
                        position: selected.value.position)
                ],
                brokenKeys: [], defaultPrefix: profilePath + ".")
            profile.isUnreadable = true
            return profile
        }
        var reader = PolicyObjectReader(prefix: profilePath + ".")
        reader.read(policyMembers)
        return CORSPolicyProfile(
            file: self.name, name: profileName, settings: reader.settings,
            setsCookies: reader.setsCookies ?? topSetsCookies ?? false, sources: reader.sources,
            formFindings: topFindings + duplicateProfiles + reader.findings, brokenKeys: reader.brokenKeys,
            defaultPrefix: profilePath + ".")
    }

    /// The validated policy of a profile.
    ///
    /// - Throws: ``CORSConfigurationError`` when the profile is missing or the policy has
    ///   errors (every finding listed).
    public func policy(profile name: String? = nil) throws(CORSConfigurationError) -> CORSPolicy {
        try profile(name).policy()
    }

    /// `.production`, or `["my profile"]` for names that are not identifiers.
    static func pathComponent(_ name: String) -> String {
        let isIdentifier =
            name.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            } && !(name.first?.isNumber ?? true)
        return isIdentifier ? "." + name : "[\"\(name)\"]"
    }

    private static func reason(for error: any Error, path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return "no such file"
        }
        if isDirectory.boolValue { return "it is a directory" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return (error as NSError).localizedDescription
    }
}
