import Foundation
import Testing

@testable import CORSCommandLine

/// The official SARIF 2.1.0 schema (Tests/Schemas/sarif-schema-2.1.0.json, from OASIS) and a
/// validator for the part of JSON Schema it uses: `type`, `properties`, `required`,
/// `additionalProperties`, `items`, `minItems`, `uniqueItems`, `minimum`, `maximum`, `enum`,
/// `pattern`, `anyOf`, `oneOf` and `$ref` to its own definitions. `format` is an annotation
/// (as the draft says by default) except `uri`, which is checked to parse.
enum SARIFSchema {
    struct Violation: Error, CustomStringConvertible {
        var problems: [String]
        var description: String { "SARIF is not valid against the 2.1.0 schema:\n" + problems.prefix(20).joined(separator: "\n") }
    }

    /// A JSON value as the validator sees it: booleans and numbers kept apart.
    indirect enum JSON: Decodable, Equatable {
        case null, bool(Bool), number(Double), string(String), array([JSON]), object([String: JSON])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([JSON].self) { self = .array(value) }
            else { self = .object(try container.decode([String: JSON].self)) }
        }
    }

    static let schema: [String: JSON] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schemas/sarif-schema-2.1.0.json")
        guard case .object(let object) = try! JSONDecoder().decode(JSON.self, from: Data(contentsOf: url)) else { fatalError("schema") }
        return object
    }()

    /// Validates the SARIF file at `path`; throws every violation found.
    static func validate(file path: String) throws {
        try validate(data: try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Validates a rendered log.
    static func validate(_ value: JSONValue) throws {
        try validate(data: Data(value.rendered().utf8))
    }

    static func validate(data: Data) throws {
        let document = try JSONDecoder().decode(JSON.self, from: data)
        var problems: [String] = []
        check(document, against: schema, at: "$", problems: &problems)
        if !problems.isEmpty { throw Violation(problems: problems) }
    }

    static func resolve(_ reference: String) -> [String: JSON] {
        precondition(reference.hasPrefix("#/definitions/"), "unsupported $ref \(reference)")
        let name = String(reference.dropFirst("#/definitions/".count))
        guard case .object(let definitions)? = schema["definitions"], case .object(let definition)? = definitions[name] else {
            fatalError("no definition \(name)")
        }
        return definition
    }

    static func matches(type: String, _ value: JSON) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number): true
        case ("integer", .number(let number)): number.rounded() == number
        default: false
        }
    }

    static func check(_ value: JSON, against schema: [String: JSON], at path: String, problems: inout [String]) {
        if case .string(let reference)? = schema["$ref"] {
            check(value, against: resolve(reference), at: path, problems: &problems)
        }
        if let type = schema["type"] {
            var types: [String] = []
            if case .string(let one) = type { types = [one] }
            if case .array(let many) = type { types = many.compactMap { if case .string(let t) = $0 { t } else { nil } } }
            if !types.contains(where: { matches(type: $0, value) }) {
                problems.append("\(path): expected \(types.joined(separator: " or ")), got \(value)")
                return
            }
        }
        if case .array(let allowed)? = schema["enum"], !allowed.contains(value) {
            problems.append("\(path): \(value) is not one of the enum")
        }
        func passes(_ option: JSON) -> Bool {
            guard case .object(let option) = option else { return false }
            var scratch: [String] = []
            check(value, against: option, at: path, problems: &scratch)
            return scratch.isEmpty
        }
        if case .array(let options)? = schema["anyOf"], !options.contains(where: passes) {
            problems.append("\(path): matches none of anyOf")
        }
        if case .array(let options)? = schema["oneOf"], options.filter(passes).count != 1 {
            problems.append("\(path): does not match exactly one of oneOf")
        }
        switch value {
        case .string(let string):
            if case .string(let pattern)? = schema["pattern"], string.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \"\(string)\" does not match \(pattern)")
            }
            if case .string(let format)? = schema["format"], format == "uri" || format == "uri-reference", URL(string: string) == nil {
                problems.append("\(path): \"\(string)\" is not a URI")
            }
        case .number(let number):
            if case .number(let minimum)? = schema["minimum"], number < minimum { problems.append("\(path): \(number) < minimum \(minimum)") }
            if case .number(let maximum)? = schema["maximum"], number > maximum { problems.append("\(path): \(number) > maximum \(maximum)") }
        case .array(let array):
            if case .number(let minimum)? = schema["minItems"], Double(array.count) < minimum {
                problems.append("\(path): \(array.count) items, fewer than \(minimum)")
            }
            if case .bool(true)? = schema["uniqueItems"] {
                for (index, item) in array.enumerated() where array[..<index].contains(item) {
                    problems.append("\(path)[\(index)]: duplicate item")
                }
            }
            if case .object(let items)? = schema["items"] {
                for (index, item) in array.enumerated() {
                    check(item, against: items, at: "\(path)[\(index)]", problems: &problems)
                }
            }
        case .object(let object):
            if case .array(let required)? = schema["required"] {
                for case .string(let name) in required where object[name] == nil {
                    problems.append("\(path): required property \(name) is missing")
                }
            }
            var properties: [String: JSON] = [:]
            if case .object(let declared)? = schema["properties"] { properties = declared }
            for (name, member) in object {
                if case .object(let property)? = properties[name] {
                    check(member, against: property, at: "\(path).\(name)", problems: &problems)
                } else if case .bool(false)? = schema["additionalProperties"] {
                    problems.append("\(path): property \(name) is not allowed")
                } else if case .object(let additional)? = schema["additionalProperties"] {
                    check(member, against: additional, at: "\(path).\(name)", problems: &problems)
                }
            }
        default:
            break
        }
    }
}
