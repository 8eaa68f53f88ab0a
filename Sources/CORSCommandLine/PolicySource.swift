import CORS
import CORSConfiguration

/// Where a command's policy comes from: the tutorial's, or a policy file (with profiles).
enum PolicySource {
    struct Loaded {
        /// How to name the policy in messages: "the tutorial policy" or `file (profile P)`.
        var name: String
        /// The policy, when valid.
        var policy: CORSPolicy?
        /// Every finding: errors when invalid, else warnings.
        var structuredFindings: [CORSPolicyFinding]

        /// Every finding, one line each.
        var findings: [String] { structuredFindings.map(\.description) }
    }

    /// Loads the policy at `path` (the tutorial's when `nil`), choosing the profile from
    /// `profile`, else `CORS_PROFILE`, else `production`.
    ///
    /// - Throws: ``ToolFailure`` when the file cannot be read, is not JSON, or lacks the profile.
    static func load(path: String?, profile: String?) throws -> Loaded {
        guard let path else {
            let policy = CORSPolicy.tutorial
            return Loaded(
                name: "the tutorial policy", policy: policy, structuredFindings: policy.warnings.map { CORSPolicyFinding($0) })
        }
        let selected = CORSPolicyFile.selectedProfileName(profile)
        let name = "\(path) (profile \(selected))"
        do {
            let loaded = try CORSPolicyFile(contentsOfFile: path).profile(selected)
            do {
                return Loaded(name: name, policy: try loaded.policy(), structuredFindings: loaded.findings)
            } catch {
                return Loaded(name: name, policy: nil, structuredFindings: error.findings)
            }
        } catch {
            throw ToolFailure(error.description)
        }
    }
}
