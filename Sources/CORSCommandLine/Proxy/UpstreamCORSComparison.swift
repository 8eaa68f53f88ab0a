import HTTPTypes
import Synchronization

/// With `--keep-upstream-cors`: compares the upstream's own CORS fields with the ones the policy
/// would send, and reports each disagreement once (the same field, upstream value and policy
/// value are not reported again, whatever the path).
final class UpstreamCORSComparison: Sendable {
    /// The response fields a CORS layer owns.
    static let corsFieldNames = [
        "access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-methods",
        "access-control-allow-headers", "access-control-expose-headers", "access-control-max-age",
        "access-control-allow-private-network",
    ]

    /// Fields whose values are lists compared without order or case.
    private static let listFieldNames: Set<String> = [
        "access-control-allow-methods", "access-control-allow-headers", "access-control-expose-headers",
    ]

    private let reported = Mutex<Set<String>>([])
    private let say: @Sendable (String) -> Void

    init(say: @escaping @Sendable (String) -> Void) {
        self.say = say
    }

    /// Compares `upstream` (the upstream's response fields) with `policy` (the policy's fields
    /// for the same request), and reports new disagreements; returns them (for tests).
    @discardableResult
    func compare(upstream: HTTPFields, policy: HTTPFields, request: HTTPRequest) -> [String] {
        var lines: [String] = []
        for name in Self.corsFieldNames {
            let fieldName = HTTPField.Name(name)!
            let upstreamValue = upstream[values: fieldName].isEmpty ? nil : upstream[values: fieldName].joined(separator: ", ")
            let policyValue = policy[values: fieldName].isEmpty ? nil : policy[values: fieldName].joined(separator: ", ")
            guard !Self.agree(upstreamValue, policyValue, listed: Self.listFieldNames.contains(name)) else { continue }
            let key = "\(name)\u{0}\(upstreamValue ?? "")\u{0}\(policyValue ?? "")"
            guard reported.withLock({ $0.insert(key).inserted }) else { continue }
            let origin = request.headerFields[.origin].map { " from \($0)" } ?? ""
            let line =
                "cors proxy: warning: the upstream and the policy disagree on \(Self.displayName(name)) (\(request.method.rawValue) \(request.path ?? "/")\(origin)): upstream \(upstreamValue.map { "\"\($0)\"" } ?? "(none)"), policy \(policyValue.map { "\"\($0)\"" } ?? "(none)")"
            lines.append(line)
            say(line)
        }
        return lines
    }

    private static func agree(_ left: String?, _ right: String?, listed: Bool) -> Bool {
        guard let left, let right else { return left == nil && right == nil }
        guard listed else { return left.trimmingCharacters(in: .whitespaces) == right.trimmingCharacters(in: .whitespaces) }
        func set(_ value: String) -> Set<String> {
            Set(value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        }
        return set(left) == set(right)
    }

    /// `Access-Control-Allow-Origin` for `access-control-allow-origin`.
    static func displayName(_ name: String) -> String {
        name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
    }
}
