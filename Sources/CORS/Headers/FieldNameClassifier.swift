import HTTPTypes

/// Recognises the few field names the engine cares about with one length check for every
/// other name.
///
/// `HTTPField.Name` equality compares canonical names as strings; names longer than 15 bytes
/// (every `access-control-*` name) are heap strings, so each comparison goes through the
/// standard library's general string comparison. The engine looks at every field of every
/// request and response against several names, so rejecting on length first (an O(1) property
/// of a native string) keeps the per-field cost to a couple of instructions.
enum FieldNameClassifier {
    /// The request fields the engine reads.
    enum RequestField {
        case origin
        case accessControlRequestMethod
        case accessControlRequestHeaders
        case accessControlRequestPrivateNetwork
    }

    /// Which of the engine's request fields `name` is, if any.
    @inline(__always)
    static func requestField(_ name: HTTPField.Name) -> RequestField? {
        switch name.canonicalName.utf8.count {
        case 6: name == .origin ? .origin : nil
        case 29: name == .accessControlRequestMethod ? .accessControlRequestMethod : nil
        case 30: name == .accessControlRequestHeaders ? .accessControlRequestHeaders : nil
        case 38: name == .accessControlRequestPrivateNetwork ? .accessControlRequestPrivateNetwork : nil
        default: nil
        }
    }

    /// Which of the engine's request fields the plain-string `name` (any case) is, if any, for
    /// adapters whose framework does not use `HTTPField.Name`.
    static func requestField(named name: String) -> RequestField? {
        let utf8 = name.utf8
        switch utf8.count {
        case 6: return utf8.equalsIgnoringASCIICase("origin") ? .origin : nil
        case 29:
            return utf8.equalsIgnoringASCIICase("access-control-request-method") ? .accessControlRequestMethod : nil
        case 30:
            return utf8.equalsIgnoringASCIICase("access-control-request-headers") ? .accessControlRequestHeaders : nil
        case 38:
            return utf8.equalsIgnoringASCIICase("access-control-request-private-network")
                ? .accessControlRequestPrivateNetwork : nil
        default: return nil
        }
    }

    /// Whether `name` is `Access-Control-Request-Headers`.
    @inline(__always)
    static func isRequestHeaders(_ name: HTTPField.Name) -> Bool {
        name.canonicalName.utf8.count == 30 && name == .accessControlRequestHeaders
    }

    /// Whether `name` is `Vary`.
    @inline(__always)
    static func isVary(_ name: HTTPField.Name) -> Bool {
        name.canonicalName.utf8.count == 4 && name == .vary
    }

    /// Whether `name` is one of the response fields the CORS layer owns (and replaces):
    /// `Access-Control-Allow-*`, `-Expose-Headers`, `-Max-Age`.
    @inline(__always)
    static func isOwnedResponseField(_ name: HTTPField.Name) -> Bool {
        let utf8 = name.canonicalName.utf8
        // The shortest owned name is access-control-max-age (22 bytes), the longest
        // access-control-allow-private-network (36).
        guard utf8.count >= 22, utf8.count <= 36, utf8.first == UInt8(ascii: "a") else { return false }
        switch name {
        case .accessControlAllowOrigin, .accessControlAllowCredentials, .accessControlExposeHeaders,
            .accessControlAllowMethods, .accessControlAllowHeaders, .accessControlMaxAge,
            .accessControlAllowPrivateNetwork:
            return true
        default:
            return false
        }
    }
}

extension String.UTF8View {
    /// Whether this equals `lowercase` (lowercase ASCII), ignoring ASCII case, without allocating.
    package func equalsIgnoringASCIICase(_ lowercase: StaticString) -> Bool {
        guard count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            var index = 0
            for byte in self {
                let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                if folded != expected[index] { return false }
                index += 1
            }
            return true
        }
    }
}
