public import HTTPTypes

/// A path that ``CrossOriginProtection`` lets through whatever its origin — a webhook, say —
/// in the syntax of Go's `http.ServeMux` patterns, as Go's `AddInsecureBypassPattern` takes it:
///
/// - `/hooks/stripe` matches that path only;
/// - `/hooks/` (a trailing slash) matches every path under it;
/// - `/only/{id}` matches one non-empty segment; `/files/{rest...}` matches the rest of the path;
///   `/exact/{$}` matches `/exact/` and nothing under it;
/// - `POST /hooks/` matches only that method (`GET` also matches `HEAD`).
///
/// A request path that is not clean (`//`, `.` or `..` segments) never matches: `http.ServeMux`
/// would redirect it rather than serve it, so Go does not bypass it either (go.dev/issue/75054).
public struct CrossOriginBypassPattern: Sendable, Hashable, CustomStringConvertible {
    /// Why a pattern was refused.
    public struct InvalidPattern: Error, Sendable, Hashable, CustomStringConvertible {
        /// The pattern as given.
        public let pattern: String
        /// What is wrong with it.
        public let problem: String

        public var description: String { "invalid bypass pattern \"\(pattern)\": \(problem)" }
    }

    enum Segment: Sendable, Hashable {
        case literal(Substring)
        case wildcard
        case rest
        case end
    }

    /// The pattern as written.
    public let description: String
    let method: HTTPRequest.Method?
    let segments: [Segment]
    /// A trailing slash: the pattern matches every path under it.
    let isSubtree: Bool

    /// Parses `pattern`.
    ///
    /// - Throws: ``InvalidPattern`` when the path does not start with `/`, a wildcard is not a
    ///   whole segment, or `{name...}` / `{$}` is not the last segment.
    public init(_ pattern: String) throws(InvalidPattern) {
        func invalid(_ problem: String) -> InvalidPattern { InvalidPattern(pattern: pattern, problem: problem) }
        description = pattern
        var path = Substring(pattern)
        if let space = pattern.firstIndex(of: " ") {
            let name = pattern[..<space]
            guard let method = HTTPRequest.Method(String(name)) else { throw invalid("\(name) is not a method") }
            self.method = method
            path = pattern[pattern.index(after: space)...].drop { $0 == " " }
        } else {
            method = nil
        }
        guard path.first == "/" else { throw invalid("the path must start with /") }
        isSubtree = path.last == "/"
        var segments: [Segment] = []
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            let isLast = index == parts.count - 1
            if isLast && part.isEmpty { break }
            if part.first == "{" {
                guard part.last == "}", part.count > 2 else { throw invalid("a wildcard is a whole segment: {name}") }
                let name = part.dropFirst().dropLast()
                if name == "$" {
                    guard isLast else { throw invalid("{$} must end the pattern") }
                    segments.append(.end)
                } else if name.hasSuffix("...") {
                    guard isLast else { throw invalid("{name...} must end the pattern") }
                    segments.append(.rest)
                } else {
                    segments.append(.wildcard)
                }
            } else {
                guard !part.contains("{") && !part.contains("}") else {
                    throw invalid("a wildcard is a whole segment: {name}")
                }
                segments.append(.literal(part))
            }
        }
        self.segments = segments
    }

    /// Whether a request with `method` for `path` (a query is ignored) matches.
    public func matches(method: HTTPRequest.Method, path: some StringProtocol) -> Bool {
        if let expected = self.method, expected != method, !(expected == .get && method == .head) { return false }
        let path = path.prefix { $0 != "?" && $0 != "#" }
        guard path.first == "/" else { return false }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        // An unclean path is redirected by http.ServeMux, never served: no bypass.
        for (index, part) in parts.enumerated() {
            if part == "." || part == ".." { return false }
            if part.isEmpty && index != parts.count - 1 { return false }
        }
        var index = 0
        for segment in segments {
            switch segment {
            case .rest:
                return true
            case .end:
                return index == parts.count - 1 && parts[index].isEmpty
            case .wildcard:
                guard index < parts.count, !parts[index].isEmpty else { return false }
            case .literal(let text):
                guard index < parts.count, parts[index] == text else { return false }
            }
            index += 1
        }
        if isSubtree {
            // `/hooks/` matches `/hooks/` and everything under it, not `/hooks`.
            return index < parts.count
        }
        // Exactly as long; `/no-trailing` does not match `/no-trailing/`.
        return index == parts.count
    }
}
