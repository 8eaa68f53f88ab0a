import CORS
import Foundation

/// Where a command's policy comes from: the tutorial's, or a policy file.
enum PolicySource {
    struct Loaded {
        /// How to name the policy in messages: "the tutorial policy" or the file's path.
        var name: String
        /// The policy, when valid.
        var policy: CORSPolicy?
        /// Every problem found: errors when invalid, else warnings.
        var problems: [CORSPolicyProblem]
    }

    /// Loads the policy at `path` (the tutorial's when `nil`).
    ///
    /// - Throws: ``ToolFailure`` when the file cannot be read or is not JSON.
    static func load(path: String?, profile: String?) throws -> Loaded {
        guard let path else {
            let policy = CORSPolicy.tutorial
            return Loaded(name: "the tutorial policy", policy: policy, problems: policy.warnings)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ToolFailure("cannot read policy file \(path)")
        }
        do {
            let policy = try JSONDecoder().decode(CORSPolicy.self, from: data)
            return Loaded(name: path, policy: policy, problems: policy.warnings)
        } catch let error as CORSPolicyError {
            return Loaded(name: path, policy: nil, problems: error.problems)
        } catch {
            throw ToolFailure("\(path) is not a valid policy file: \(error)")
        }
    }
}
