import CORSWebSyntax
/// The compiled `allowHeaders` of a policy: lowercased names compared case-insensitively
/// against request bytes, without allocating.
struct AllowedHeaderNames: Sendable {
    /// `*`: any name but `authorization` (Fetch: the wildcard never covers Authorization).
    let allowsAnyName: Bool
    /// Lowercased names, bucketed by length so a lookup compares only same-length candidates.
    private let namesByLength: [[[UInt8]]]

    init(_ names: [String]) {
        allowsAnyName = names.contains("*")
        var buckets: [[[UInt8]]] = []
        for name in Set(names.filter { $0 != "*" }.map { $0.lowercased() }) {
            let bytes = Array(name.utf8)
            if buckets.count <= bytes.count { buckets += Array(repeating: [], count: bytes.count - buckets.count + 1) }
            buckets[bytes.count].append(bytes)
        }
        namesByLength = buckets
    }

    /// Whether the token `name` (any case) is allowed.
    func allows(_ name: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        if isListed(name) { return true }
        return allowsAnyName && !Self.isAuthorization(name)
    }

    private func isListed(_ name: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        guard name.count < namesByLength.count else { return false }
        let base = name.startIndex
        let bytes = name.base
        for candidate in namesByLength[name.count] {
            let equal = candidate.withUnsafeBufferPointer { expected in
                for offset in 0..<expected.count where ASCII.lowercased(bytes[base + offset]) != expected[offset] {
                    return false
                }
                return true
            }
            if equal { return true }
        }
        return false
    }

    private static let authorization = Array("authorization".utf8)

    private static func isAuthorization(_ name: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        name.count == authorization.count
            && zip(name, authorization).allSatisfy { ASCII.lowercased($0) == $1 }
    }
}
