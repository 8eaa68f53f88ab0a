public import CORS

extension CORSPolicyFinding {
    /// A stable rule identifier: every `CORSPolicyProblem.Code` of the core validator,
    /// plus the codes of the checks that only policy files and profiles have.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The identifier, such as `production-localhost-origin`.
        public var rawValue: String

        /// A code from its identifier.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The code of a core validation rule.
        public init(_ code: CORSPolicyProblem.Code) {
            self.rawValue = code.rawValue
        }

        /// The identifier.
        public var description: String { rawValue }

        /// The core code with the same identifier, if it is one.
        public var coreCode: CORSPolicyProblem.Code? { CORSPolicyProblem.Code(rawValue: rawValue) }

        /// The same key written twice in one object; JSON parsers silently keep one of them.
        public static let duplicateKey = Code(rawValue: "duplicate-key")
        /// A `profiles` file without the profile asked for is an error (exit 2), not a finding;
        /// this code marks a profile whose value is not an object.
        public static let invalidProfile = Code(rawValue: "invalid-profile")
        /// A loopback or `localhost` origin or pattern in the production profile (warning).
        public static let productionLocalhostOrigin = Code(rawValue: "production-localhost-origin")
        /// A plain-`http` origin or pattern in the production profile (warning).
        public static let productionInsecureOrigin = Code(rawValue: "production-insecure-origin")
        /// `*` in the production profile of an API that declares `"setsCookies": true` (error).
        public static let productionWildcardWithCookies = Code(rawValue: "production-wildcard-with-cookies")

        /// The codes defined by this module, in addition to the core's.
        public static let configurationCodes: [Code] = [
            .duplicateKey, .invalidProfile, .productionLocalhostOrigin, .productionInsecureOrigin,
            .productionWildcardWithCookies,
        ]

        /// Every code a finding can have: the core's, then this module's.
        public static var allCodes: [Code] {
            CORSPolicyProblem.Code.allCases.map(Code.init) + configurationCodes
        }
    }
}
