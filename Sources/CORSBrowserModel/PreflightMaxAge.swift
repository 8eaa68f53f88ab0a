import CORSWebSyntax
/// How long Chromium caches a successful preflight, from `Access-Control-Max-Age`
/// (Chromium `ParseAccessControlMaxAge`, services/network/cors/preflight_result.cc).
///
/// | Value | Chromium | Spec (fetch.bs L7072-7158 step 8) | Firefox | WebKit |
/// |---|---|---|---|---|
/// | absent | 5 s | 5 s | 5 s | 5 s |
/// | not an integer | 5 s | 5 s | not cached | – |
/// | negative | 0 s (not cached) | 5 s | not cached | – |
/// | cap | 7200 s (`base::Hours(2)`) | UA-defined | 86400 s | 600 s |
///
/// Measured on Chromium 156: `-1`, `0` and `+0` are not cached, an absent header is.
public struct PreflightMaxAge: Sendable, Hashable {
    /// Where the number came from.
    public enum Source: String, Sendable, Hashable {
        /// No header: the 5-second default.
        case absent
        /// Not a (signed 64-bit) integer: the 5-second default.
        case invalid
        /// Negative: 0, the entry is not cached.
        case negative
        /// Above the cap: clamped to 7200.
        case capped
        /// Used as sent.
        case asSent
    }

    /// Chromium's default lifetime, in seconds (`kDefaultTimeout`).
    public static let defaultSeconds = 5
    /// Chromium's cap, in seconds (`kMaxTimeout`, two hours). Firefox caps at 86400, WebKit at 600.
    public static let maximumSeconds = 7200

    /// The lifetime Chromium gives the cache entry, in seconds.
    public let seconds: Int
    /// Where ``seconds`` came from.
    public let source: Source

    /// Interprets an `Access-Control-Max-Age` value (already combined and trimmed, or `nil`).
    ///
    /// Chromium parses with `base::StringToInt64`: an optional `+` or `-`, then ASCII digits
    /// only, no surrounding spaces, and no overflow. Duplicate lines joined as `"5, 10"` are
    /// therefore invalid.
    public init(headerValue: String?) {
        guard let headerValue else {
            self.init(seconds: Self.defaultSeconds, source: .absent)
            return
        }
        var digits = headerValue.utf8[...]
        var isNegative = false
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            isNegative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        // A magnitude beyond Int64 is invalid, as StringToInt64 reports overflow as failure
        // (the single exception, exactly Int64.min, is treated as invalid here).
        guard let magnitude = ASCII.decimalValue(digits) else {
            self.init(seconds: Self.defaultSeconds, source: .invalid)
            return
        }
        if isNegative && magnitude > 0 {
            self.init(seconds: 0, source: .negative)
        } else if magnitude >= Self.maximumSeconds {
            self.init(seconds: Self.maximumSeconds, source: magnitude == Self.maximumSeconds ? .asSent : .capped)
        } else {
            self.init(seconds: magnitude, source: .asSent)
        }
    }

    private init(seconds: Int, source: Source) {
        self.seconds = seconds
        self.source = source
    }
}
