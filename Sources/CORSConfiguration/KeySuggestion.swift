import CORS

/// "Did you mean …?" for misspelt keys, with the same rule as the core's unknown-key problem.
enum KeySuggestion {
    /// The candidate closest to `key`, when it is close enough to be a typo.
    static func closest(to key: String, among candidates: [String]) -> String? {
        CORSPolicy.closestSpelling(to: key, among: candidates)
    }
}
