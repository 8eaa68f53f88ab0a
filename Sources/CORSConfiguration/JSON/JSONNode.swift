/// A parsed JSON value that remembers where it was written, and the order of object members
/// (duplicates included), so that findings can name the exact line and column.
struct JSONNode: Sendable {
    enum Value: Sendable {
        case object([Member])
        case array([JSONNode])
        case string(String)
        /// The number as written (`600`, `-1`, `1.5e3`).
        case number(String)
        case bool(Bool)
        case null
    }

    struct Member: Sendable {
        var key: String
        var keyPosition: CORSSourcePosition
        var value: JSONNode
    }

    var value: Value
    var position: CORSSourcePosition

    /// `an object`, `a string`, …: for messages about wrong types.
    var kindDescription: String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The value as JSON text, shortened, for messages (`"https://a.example"`, `5`, `[…]`).
    var excerpt: String {
        switch value {
        case .object: "{…}"
        case .array: "[…]"
        case .string(let text):
            "\"" + (text.count > 60 ? String(text.prefix(60)) + "…" : text) + "\""
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        }
    }
}
