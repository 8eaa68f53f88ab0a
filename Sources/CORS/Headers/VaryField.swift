import HTTPTypes

/// Adds names to a response's `Vary` without overwriting what the application set and
/// without listing a name twice.
enum VaryField {
    /// The field to append so that `fields`' `Vary` lists `names` (given in their display case),
    /// without overwriting what the application set and without listing a name twice: `nil`
    /// when nothing is missing (or the response already varies on `*`).
    ///
    /// - Parameter rendered: the pre-rendered field carrying all of `names`, returned as it is
    ///   in the common case where the response has no `Vary` yet.
    static func addition(_ names: [String], rendered: HTTPField, to fields: HTTPFields) -> HTTPField? {
        var existing: [Substring] = []
        for field in fields where FieldNameClassifier.isVary(field.name) {
            for token in field.value.split(separator: ",") {
                let trimmed = token.trimmingWhitespace()
                if trimmed == "*" { return nil }  // already varies on everything
                existing.append(trimmed)
            }
        }
        if existing.isEmpty { return rendered }
        let missing = names.filter { name in
            !existing.contains { $0.utf8.count == name.utf8.count && $0.lowercased() == name.lowercased() }
        }
        if missing.count == names.count { return rendered }
        return missing.isEmpty ? nil : HTTPField(name: .vary, value: missing.joined(separator: ", "))
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
