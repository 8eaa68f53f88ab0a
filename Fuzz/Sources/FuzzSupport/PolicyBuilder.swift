public import CORS

/// Builds a valid policy from fuzzed settings by dropping the list entries the validator
/// refuses (the problems name them by path, `allowHeaders[3]`), so that most inputs reach the
/// engine instead of stopping at validation.
@dynamicMemberLookup
public struct PolicyBuilder {
    /// The fuzzed settings; every key of ``CORSPolicySettings/keys`` reads and writes through
    /// `builder.allowOrigins`, ….
    public var settings = CORSPolicySettings()

    public init() {}

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<CORSPolicySettings, Value>) -> Value {
        get { settings[keyPath: keyPath] }
        set { settings[keyPath: keyPath] = newValue }
    }

    public func problems() -> [CORSPolicyProblem] { settings.problems() }

    public func make() -> CORSPolicy? { try? settings.policy() }

    /// The policy, after dropping every refused list entry (a few rounds, since dropping
    /// `*` can change what else is refused); `nil` when it still does not validate.
    public func makeDroppingRefusedEntries() -> CORSPolicy? {
        var builder = self
        for _ in 0..<4 {
            if let policy = builder.make() { return policy }
            let errors = builder.problems().filter { $0.severity == .error }
            require(!errors.isEmpty, "CORSPolicy(...) threw but problems(...) lists no error")
            var changed = false
            for key in CORSPolicySettings.keys {
                // A refused scalar goes back to its default; a list loses its refused entries.
                if errors.contains(where: { $0.path == key.stringValue }), key.kind != .list {
                    builder.settings[key] = key.defaultValue
                    changed = true
                }
                guard case .list(let list) = builder.settings[key] else { continue }
                let refused = Set(errors.compactMap { Self.index(in: $0.path, key: key.stringValue) })
                guard !refused.isEmpty else { continue }
                builder.settings[key] = .list(list.enumerated().filter { !refused.contains($0.offset) }.map(\.element))
                changed = true
            }
            if !changed { return nil }
        }
        return builder.make()
    }

    /// `3` for `allowHeaders[3]` and key `allowHeaders`.
    static func index(in path: String, key: String) -> Int? {
        guard path.hasPrefix(key + "["), path.hasSuffix("]") else { return nil }
        return Int(path.dropFirst(key.count + 1).dropLast())
    }
}
