import CORS

/// The JSON type of each policy setting, and how to store a value of it.
extension CORSPolicySettings {
    /// The type a setting's value has in a file or a configuration provider.
    enum Kind: Sendable {
        /// An array of strings.
        case list
        /// `true` or `false`.
        case flag
        /// A whole number.
        case integer

        /// `an array of strings`, …: for messages about wrong types.
        var description: String {
            switch self {
            case .list: "an array of strings"
            case .flag: "true or false"
            case .integer: "a whole number"
            }
        }
    }

    /// A value of the right type for a setting.
    enum Value: Sendable, Hashable {
        case list([String])
        case flag(Bool)
        case integer(Int)
    }

    /// The type of `key`'s value. Exhaustive, so that a new core setting cannot be forgotten.
    static func kind(of key: CORSPolicy.CodingKeys) -> Kind {
        switch key {
        case .allowOrigins, .allowOriginPatterns, .allowMethods, .allowHeaders, .exposeHeaders: .list
        case .allowCredentials, .allowPrivateNetwork, .dangerouslyAllowNullOrigin,
            .dangerouslyAllowInsecureOriginsWithCredentials:
            .flag
        case .maxAge, .preflightStatus: .integer
        }
    }

    /// Stores `value` for `key`; a value of the wrong kind is ignored (callers check the kind).
    mutating func set(_ key: CORSPolicy.CodingKeys, to value: Value) {
        switch (key, value) {
        case (.allowOrigins, .list(let list)): allowOrigins = list
        case (.allowOriginPatterns, .list(let list)): allowOriginPatterns = list
        case (.allowMethods, .list(let list)): allowMethods = list
        case (.allowHeaders, .list(let list)): allowHeaders = list
        case (.exposeHeaders, .list(let list)): exposeHeaders = list
        case (.allowCredentials, .flag(let flag)): allowCredentials = flag
        case (.allowPrivateNetwork, .flag(let flag)): allowPrivateNetwork = flag
        case (.dangerouslyAllowNullOrigin, .flag(let flag)): dangerouslyAllowNullOrigin = flag
        case (.dangerouslyAllowInsecureOriginsWithCredentials, .flag(let flag)):
            dangerouslyAllowInsecureOriginsWithCredentials = flag
        case (.maxAge, .integer(let number)): maxAge = number
        case (.preflightStatus, .integer(let number)): preflightStatus = number
        default: break
        }
    }
}
