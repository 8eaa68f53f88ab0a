import HTTPTypes

/// Adds names to a response's `Vary` without overwriting what the application set and
/// without listing a name twice.
enum VaryField {
    /// Appends `names` (given in their display case) to `fields`' `Vary`.
    ///
    /// - Parameter rendered: the pre-rendered field carrying all of `names`, appended as it is
    ///   in the common case where the response has no `Vary` yet.
    static func append(_ names: [String], rendered: HTTPField, to fields: inout HTTPFields) {
        var existing: [Substring] = []
        for field in fields where FieldNameClassifier.isVary(field.name) {
            for token in field.value.split(separator: ",") {
                let trimmed = token.trimmingWhitespace()
                if trimmed == "*" { return }  // already varies on everything
                existing.append(trimmed)
            }
        }
        if existing.isEmpty {
            fields.append(rendered)
            return
        }
        let missing = names.filter { name in
            !existing.contains { $0.utf8.count == name.utf8.count && $0.lowercased() == name.lowercased() }
        }
        if missing.count == names.count {
            fields.append(rendered)
        } else if !missing.isEmpty {
            fields.append(HTTPField(name: .vary, value: missing.joined(separator: ", ")))
        }
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
