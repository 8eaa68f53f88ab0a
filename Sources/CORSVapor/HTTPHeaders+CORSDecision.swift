import CORS
import HTTPTypes
import Vapor

extension HTTPHeaders {
    /// Applies `decision` to a Vapor response's headers with exactly the semantics of
    /// `CORSDecision.apply(to:)`: the engine's CORS fields replace those the application set,
    /// and `Vary` is appended to, never overwritten or duplicated.
    ///
    /// Only the response's `Vary` and `Access-Control-*` fields are handed to the engine, so the
    /// rest of the headers are neither copied nor converted; in the common case (none) the
    /// decision's fields are added directly.
    mutating func apply(_ decision: CORSDecision) {
        guard contains(where: { name, _ in name.utf8.isVaryOrAccessControl }) else {
            // The common case: nothing to replace or merge, so the fields are added as they are.
            reserveCapacity(count + 5)
            decision.forEachField(ofBareResponse: { field in add(name: field.name.rawName, value: field.value) })
            return
        }
        var fields = HTTPFields()
        var handedNames: [String] = []
        for (name, value) in self where name.utf8.isVaryOrAccessControl {
            if let fieldName = HTTPField.Name(name) {
                fields.append(HTTPField(name: fieldName, value: value))
                handedNames.append(name)
            }
        }
        decision.apply(to: &fields)
        // The engine may have removed or kept some of the fields it was handed: the result
        // replaces them all (`remove(name:)` is case-insensitive, so repeats are harmless).
        for name in handedNames {
            remove(name: name)
        }
        reserveCapacity(count + fields.count)
        for field in fields {
            add(name: field.name.rawName, value: field.value)
        }
    }
}

extension String.UTF8View {
    /// `Vary` or `Access-Control-…`, ASCII case-insensitively.
    fileprivate var isVaryOrAccessControl: Bool {
        if count == 4 { return equalsIgnoringASCIICase("vary") }
        guard count > 15, let first, first | 0x20 == UInt8(ascii: "a") else { return false }
        return prefix(15).elementsEqual("access-control-".utf8) { ($0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0) == $1 }
    }
}
