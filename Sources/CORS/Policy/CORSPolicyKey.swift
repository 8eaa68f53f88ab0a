/// One key of a policy: its name in policy files, the type of its value, and where the value
/// lives in ``CORSPolicySettings``. The keys are listed once, in ``CORSPolicySettings/keys``.
public struct CORSPolicyKey: CodingKey, Sendable, Hashable, CustomStringConvertible {
    /// The type a key's value has in a file or a configuration provider.
    public enum Kind: Sendable, Hashable {
        /// An array of strings.
        case list
        /// `true` or `false`.
        case flag
        /// A whole number.
        case integer
        /// A whole number, or absent.
        case optionalInteger

        /// `an array of strings`, …: for messages about wrong types.
        public var description: String {
            switch self {
            case .list: "an array of strings"
            case .flag: "true or false"
            case .integer, .optionalInteger: "a whole number"
            }
        }
    }

    /// The key's name in policy files, `allowOrigins`.
    public let stringValue: String
    /// The type of the key's value.
    public let kind: Kind
    let read: @Sendable (CORSPolicySettings) -> CORSPolicyValue
    let write: @Sendable (inout CORSPolicySettings, CORSPolicyValue) -> Void

    /// The key's name in policy files.
    public var rawValue: String { stringValue }
    /// The key's name in policy files.
    public var description: String { stringValue }
    /// Keys are never integers.
    public var intValue: Int? { nil }

    /// The key named `stringValue`, or `nil` when a policy has no such key.
    public init?(stringValue: String) {
        guard let key = CORSPolicySettings.keys.first(where: { $0.stringValue == stringValue }) else { return nil }
        self = key
    }

    /// The key named `rawValue`, or `nil` when a policy has no such key.
    public init?(rawValue: String) {
        self.init(stringValue: rawValue)
    }

    /// Keys are never integers.
    public init?(intValue: Int) { nil }

    /// Every key, in the order of policy files.
    public static var allCases: [CORSPolicyKey] { CORSPolicySettings.keys }

    /// The key's value in default settings.
    public var defaultValue: CORSPolicyValue { read(CORSPolicySettings()) }

    public static func == (lhs: CORSPolicyKey, rhs: CORSPolicyKey) -> Bool { lhs.stringValue == rhs.stringValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(stringValue) }

    private init(
        _ name: String, _ kind: Kind, read: @escaping @Sendable (CORSPolicySettings) -> CORSPolicyValue,
        write: @escaping @Sendable (inout CORSPolicySettings, CORSPolicyValue) -> Void
    ) {
        self.stringValue = name
        self.kind = kind
        self.read = read
        self.write = write
    }

    static func list(_ name: String, _ keyPath: any WritableKeyPath<CORSPolicySettings, [String]> & Sendable) -> Self {
        Self(name, .list, read: { .list($0[keyPath: keyPath]) }) { settings, value in
            if case .list(let list) = value { settings[keyPath: keyPath] = list }
        }
    }

    static func flag(_ name: String, _ keyPath: any WritableKeyPath<CORSPolicySettings, Bool> & Sendable) -> Self {
        Self(name, .flag, read: { .flag($0[keyPath: keyPath]) }) { settings, value in
            if case .flag(let flag) = value { settings[keyPath: keyPath] = flag }
        }
    }

    static func integer(_ name: String, _ keyPath: any WritableKeyPath<CORSPolicySettings, Int> & Sendable) -> Self {
        Self(name, .integer, read: { .integer($0[keyPath: keyPath]) }) { settings, value in
            if case .integer(let number?) = value { settings[keyPath: keyPath] = number }
        }
    }

    static func optionalInteger(_ name: String, _ keyPath: any WritableKeyPath<CORSPolicySettings, Int?> & Sendable) -> Self {
        Self(name, .optionalInteger, read: { .integer($0[keyPath: keyPath]) }) { settings, value in
            if case .integer(let number) = value { settings[keyPath: keyPath] = number }
        }
    }
}

/// A value of a policy key.
public enum CORSPolicyValue: Sendable, Hashable {
    /// An array of strings.
    case list([String])
    /// `true` or `false`.
    case flag(Bool)
    /// A whole number, or none (`maxAge` not set).
    case integer(Int?)

    /// Whether the value is of `kind`.
    public func isOf(_ kind: CORSPolicyKey.Kind) -> Bool {
        switch (self, kind) {
        case (.list, .list), (.flag, .flag), (.integer(_?), .integer), (.integer, .optionalInteger): true
        default: false
        }
    }
}
