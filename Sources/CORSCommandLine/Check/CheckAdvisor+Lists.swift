/// Header lists and sentences in advice texts.
extension CheckAdvisor {
    // MARK: Lists

    /// The tokens of a header list value, in order (anything between commas and spaces).
    static func tokens(in value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == ";" || $0 == "\"" }).map(String.init)
    }

    /// `existing` followed by each of `additions` not already in it.
    static func merged(_ existing: [String], adding additions: [String], caseSensitive: Bool = false) -> [String] {
        var result: [String] = []
        func contains(_ item: String) -> Bool {
            result.contains { caseSensitive ? $0 == item : $0.lowercased() == item.lowercased() }
        }
        for item in existing + additions where !contains(item) {
            result.append(item)
        }
        return result
    }

    /// `["a", "b"]`: a JSON array and a Python list alike.
    static func list(_ items: [String]) -> String {
        "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    /// `a, b and c`.
    static func sentence(_ parts: [String]) -> String {
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }

    static func capitalized(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }
}
