/// "Did you mean …?" for misspelt keys.
enum KeySuggestion {
    /// The candidate closest to `key`, when it is close enough to be a typo.
    static func closest(to key: String, among candidates: [String]) -> String? {
        let best = candidates.min { distance($0, key) < distance($1, key) }
        guard let best, distance(best, key) <= max(2, key.count / 3) else { return nil }
        return best
    }

    /// Levenshtein distance, ASCII case-insensitive.
    static func distance(_ a: String, _ b: String) -> Int {
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
