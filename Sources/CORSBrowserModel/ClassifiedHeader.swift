/// One header the script set, and what the browser does with it on a cross-origin request.
///
/// Several field lines with the same name count as one header whose value is the lines
/// joined with `", "`, as Chromium's header map combines them.
public struct ClassifiedHeader: Sendable, Hashable {
    /// What the browser does with a header.
    public enum Verdict: String, Sendable, Hashable {
        /// Sent as is, and no preflight needed for it (fetch.bs L1010).
        case safelisted
        /// Sent, but only after a preflight approves its name (fetch.bs L1111).
        case corsUnsafe = "cors-unsafe"
        /// Never sent: a script may not set it (fetch.bs L1203).
        case forbidden
    }

    /// The name as the script first wrote it.
    public let name: String
    /// The lowercased name, as it appears in `Access-Control-Request-Headers`.
    public let lowercasedName: String
    /// The combined value.
    public let value: String
    /// The verdict.
    public let verdict: Verdict
    /// Why, in one sentence (empty for a plainly safelisted header).
    public let reason: String

    /// Creates a classified header.
    public init(name: String, lowercasedName: String, value: String, verdict: Verdict, reason: String) {
        self.name = name
        self.lowercasedName = lowercasedName
        self.value = value
        self.verdict = verdict
        self.reason = reason
    }
}
