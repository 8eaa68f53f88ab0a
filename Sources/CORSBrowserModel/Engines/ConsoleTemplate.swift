/// A value an engine writes into a console message.
public enum ConsolePlaceholder: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The URL whose response failed.
    case url
    /// The URL the script asked for, before redirects.
    case initialURL
    /// The page's origin.
    case origin
    /// The failing response's status code (Firefox writes `(null)` when there is none).
    case status
    /// An offending header value (Access-Control-Allow-Origin, -Credentials, an unparsable list).
    case value
    /// The request's method.
    case method
    /// A request header name.
    case header
    /// An invalid token of an Access-Control-Allow-Methods/-Headers list.
    case token
    /// A redirect's Location.
    case location
    /// Chromium's resource kind (`fetch`, `XMLHttpRequest`).
    case kind
    /// WebKit's API name (`Fetch API`, `XMLHttpRequest`).
    case api

    /// Whether a value never contains whitespace, which makes a pasted line easier to split.
    var isSingleWord: Bool {
        switch self {
        case .value, .api, .token: false
        default: true
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A console message with `{placeholder}` markers: written with ``render(_:)`` and read back
/// with ``match(in:)``, so each text exists once.
public struct ConsoleTemplate: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal([Unicode.Scalar])
        case placeholder(ConsolePlaceholder)
    }

    let segments: [Segment]
    /// The template as written, e.g. `Method {method} is not allowed by Access-Control-Allow-Methods.`
    public let text: String

    /// Creates a template from text with `{url}`, `{origin}`, … markers. Braces around any
    /// other word are kept as text.
    public init(_ text: String) {
        self.text = text
        var segments: [Segment] = []
        var literal: [Unicode.Scalar] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "{", let close = scalars[index...].firstIndex(of: "}"),
                let placeholder = ConsolePlaceholder(rawValue: String(String.UnicodeScalarView(scalars[(index + 1)..<close])))
            {
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = []
                segments.append(.placeholder(placeholder))
                index = close + 1
            } else {
                literal.append(scalars[index])
                index += 1
            }
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.segments = segments
    }

    public var description: String { text }

    /// The placeholders, in order.
    public var placeholders: [ConsolePlaceholder] {
        segments.compactMap { if case .placeholder(let name) = $0 { name } else { nil } }
    }

    /// The message with every placeholder replaced by its value (an empty string when missing).
    public func render(_ values: [ConsolePlaceholder: String]) -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .literal(let scalars): output.unicodeScalars.append(contentsOf: scalars)
            case .placeholder(let name): output += values[name] ?? ""
            }
        }
        return output
    }

    /// The literal text, placeholders left out: how much of a line the template explains.
    var literalLength: Int {
        segments.reduce(0) { total, segment in
            if case .literal(let scalars) = segment { total + scalars.count } else { total }
        }
    }

    /// Finds the message inside `line` (which may carry a prefix such as `[Error] ` or a
    /// source location, and trailing text) and returns the placeholder values, or `nil`.
    public func match(in line: String) -> [ConsolePlaceholder: String]? {
        let scalars = Array(line.unicodeScalars)
        guard case .literal(let first)? = segments.first else {
            // A leading placeholder may start the line or any word of it.
            for start in scalars.indices where start == 0 || scalars[start - 1].properties.isWhitespace {
                if let values = match(scalars, from: start, segment: 0, values: [:]) { return values }
            }
            return nil
        }
        var start = 0
        while let found = Self.find(first, in: scalars, from: start) {
            if let values = match(scalars, from: found, segment: 0, values: [:]) { return values }
            start = found + 1
        }
        return nil
    }

    private func match(
        _ line: [Unicode.Scalar], from position: Int, segment: Int, values: [ConsolePlaceholder: String]
    ) -> [ConsolePlaceholder: String]? {
        guard segment < segments.count else { return values }
        switch segments[segment] {
        case .literal(let scalars):
            guard position + scalars.count <= line.count, Array(line[position..<(position + scalars.count)]) == scalars
            else { return nil }
            return match(line, from: position + scalars.count, segment: segment + 1, values: values)
        case .placeholder(let name):
            if segment + 1 == segments.count {
                // The last segment takes the longest acceptable run.
                var end = position
                while end < line.count, Self.accepts(name, line[end], atStart: end == position) { end += 1 }
                if name == .value {
                    while end > position, line[end - 1].properties.isWhitespace { end -= 1 }
                }
                guard end > position || name == .value else { return nil }
                var result = values
                result[name] = String(String.UnicodeScalarView(line[position..<end]))
                return Self.isValid(result[name]!, for: name) ? result : nil
            }
            guard case .literal(let next) = segments[segment + 1] else { return nil }
            var searchFrom = position
            while let found = Self.find(next, in: line, from: searchFrom) {
                let candidate = String(String.UnicodeScalarView(line[position..<found]))
                if Self.isValid(candidate, for: name) {
                    if let existing = values[name], existing != candidate {
                        searchFrom = found + 1
                        continue
                    }
                    var result = values
                    result[name] = candidate
                    if let matched = match(line, from: found, segment: segment + 1, values: result) { return matched }
                }
                if name.isSingleWord && line[position..<found].contains(where: { $0.properties.isWhitespace }) {
                    return nil
                }
                searchFrom = found + 1
            }
            return nil
        }
    }

    private static func accepts(_ name: ConsolePlaceholder, _ scalar: Unicode.Scalar, atStart: Bool) -> Bool {
        switch name {
        case .value, .token: true
        case .status: scalar.properties.numericType != nil || "(null)".unicodeScalars.contains(scalar)
        default: !scalar.properties.isWhitespace
        }
    }

    private static func isValid(_ value: String, for name: ConsolePlaceholder) -> Bool {
        switch name {
        case .value:
            return true
        case .token:
            return !value.isEmpty
        case .status:
            return value == "(null)" || (!value.isEmpty && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
        case .kind:
            return !value.isEmpty && value.unicodeScalars.allSatisfy { $0.properties.isAlphabetic }
        case .api:
            return value == "Fetch API" || value == "XMLHttpRequest" || value == "EventSource"
        default:
            return !value.isEmpty && !value.unicodeScalars.contains { $0.properties.isWhitespace }
        }
    }

    private static func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int) -> Int? {
        guard !needle.isEmpty, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
