import CORSWebSyntax
// Which request headers a page may set, and which of those a cross-origin server must approve
// in a preflight. Spec: fetch.bs L1010-L1203; Chromium: services/network/public/cpp/cors/cors.cc
// (`IsCorsSafelistedHeader`, `CorsUnsafeNotForbiddenRequestHeaderNames`) and
// net/http/http_util.cc (`IsSafeHeader`). Where they differ, Chromium 156 as measured wins and
// the difference is noted.

enum RequestHeaderRules {
    // MARK: Forbidden request headers (fetch.bs L1203)

    /// The forbidden names. Chromium 156 does *not* forbid
    /// `Access-Control-Request-Private-Network` (measured: a page-set value reaches the
    /// preflight's `Access-Control-Request-Headers`), so only the spec's two
    /// `Access-Control-Request-*` names are here.
    static let forbiddenNames: Set<String> = [
        "accept-charset", "accept-encoding", "access-control-request-headers",
        "access-control-request-method", "connection", "content-length", "cookie", "cookie2",
        "date", "dnt", "expect", "host", "keep-alive", "origin", "referer", "set-cookie", "te",
        "trailer", "transfer-encoding", "upgrade", "via",
    ]

    /// The headers that can smuggle a method past the forbidden-method rule.
    static let methodOverrideNames: Set<String> = [
        "x-http-method", "x-http-method-override", "x-method-override",
    ]

    /// Why the page may not set this header, or `nil` when it may. `name` is lowercased.
    static func forbiddenReason(name: String, value: String) -> String? {
        if forbiddenNames.contains(name) {
            return "'\(name)' is a forbidden request header: the browser controls it, and a script's value is dropped."
        }
        if name.hasPrefix("proxy-") || name.hasPrefix("sec-") {
            return "Names starting with 'proxy-' or 'sec-' are forbidden request headers: a script's value is dropped."
        }
        if methodOverrideNames.contains(name),
            value.utf8.split(separator: ASCII.comma).contains(where: {
                RequestMethodRules.isForbidden(ASCII.trimmingOptionalWhitespace(Substring($0)))
            })
        {
            return "'\(name)' names a forbidden method (CONNECT, TRACE or TRACK), so the browser drops it."
        }
        return nil
    }

    // MARK: CORS-safelisted request headers (fetch.bs L1010)

    /// The per-value cap (L1010 step 1; Chromium's `kCorsSafelistedHeaderValueSizeRelaxed`
    /// feature that raises it to 256 is off by default).
    static let maximumSafelistedValueLength = 128

    /// The cap on the safelisted values' total length (L1111); beyond it every safelisted name
    /// counts as CORS-unsafe too.
    static let maximumSafelistedTotalLength = 1024

    /// Client hints Chromium safelists although the spec does not (`IsCorsSafelistedHeader`).
    /// A page may set these itself; the `sec-ch-*` ones it may not (forbidden prefix).
    static let chromiumClientHintNames: Set<String> = [
        "device-memory", "dpr", "downlink", "width", "viewport-width", "rtt", "ect", "save-data",
    ]

    enum Safelisting: Equatable {
        case safelisted
        /// Safelisted by Chromium only (a client hint or `Intervention`); the spec, Firefox and
        /// Safari send a preflight for it.
        case safelistedByChromiumOnly
        /// Not safelisted, with the reason.
        case unsafe(String)
    }

    /// Whether `name: value` is a CORS-safelisted request header. `name` is lowercased.
    static func safelisting(name: String, value: String) -> Safelisting {
        let bytes = value.utf8
        let isKnownName =
            ["accept", "accept-language", "content-language", "content-type", "range", "intervention"]
            .contains(name) || chromiumClientHintNames.contains(name)
        guard isKnownName else {
            return .unsafe("'\(name)' is not a CORS-safelisted request header.")
        }
        guard bytes.count <= maximumSafelistedValueLength else {
            return .unsafe(
                "The value of '\(name)' is \(bytes.count) bytes long; a safelisted value may have at most 128 bytes.")
        }
        switch name {
        case "accept":
            return bytes.contains(where: isCORSUnsafeByte)
                ? .unsafe("The 'accept' value contains a CORS-unsafe byte (a control byte or one of \"():<>?@[\\]{}).")
                : .safelisted
        case "accept-language", "content-language":
            return bytes.allSatisfy(isLanguageByte)
                ? .safelisted
                : .unsafe("The '\(name)' value may contain only 0-9 A-Z a-z, space and *,-.;= .")
        case "content-type":
            return contentTypeSafelisting(bytes)
        case "range":
            return isSimpleRange(bytes)
                ? .safelisted
                : .unsafe("The 'range' value is not a simple range 'bytes=start-[end]' (no whitespace, one range, start required).")
        case "intervention":
            return .safelistedByChromiumOnly
        case "device-memory", "dpr", "downlink":
            return isDecimalNumber(bytes, allowingFraction: true) ? .safelistedByChromiumOnly : clientHintValueRejected(name)
        case "width", "viewport-width", "rtt":
            return isDecimalNumber(bytes, allowingFraction: false) ? .safelistedByChromiumOnly : clientHintValueRejected(name)
        case "ect":
            return ["slow-2g", "2g", "3g", "4g"].contains(value) ? .safelistedByChromiumOnly : clientHintValueRejected(name)
        case "save-data":
            return ASCII.lowercased(value) == "on" ? .safelistedByChromiumOnly : clientHintValueRejected(name)
        default:
            return .unsafe("'\(name)' is not a CORS-safelisted request header.")
        }
    }

    private static func clientHintValueRejected(_ name: String) -> Safelisting {
        .unsafe("Chromium safelists the client hint '\(name)' only with a well-formed value.")
    }

    /// CORS-unsafe request-header byte (L1097).
    static func isCORSUnsafeByte(_ byte: UInt8) -> Bool {
        if byte < 0x20 { return byte != ASCII.tab }
        switch byte {
        case 0x22, 0x28, 0x29, 0x3A, 0x3C, 0x3E, 0x3F, 0x40, 0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x7F:
            return true
        default:
            return false
        }
    }

    private static func isLanguageByte(_ byte: UInt8) -> Bool {
        if ASCII.isAlpha(byte) || ASCII.isDigit(byte) { return true }
        switch byte {
        case 0x20, UInt8(ascii: "*"), UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: ";"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    /// The three essences a simple request may use (L1010).
    static let safelistedContentTypeEssences: Set<String> = [
        "application/x-www-form-urlencoded", "multipart/form-data", "text/plain",
    ]

    /// Chromium's content-type rule: no CORS-unsafe byte, then the strict MIME parse of the part
    /// before `;` (`net::ParseMimeTypeWithoutParameter`: exactly one `/`, leading whitespace
    /// trimmed from the type and trailing from the subtype, both tokens) must give one of the
    /// three essences, compared lowercased. So `Text/Plain ; charset=x` is safelisted (measured)
    /// while `text / plain` and `text/plain; charset="utf-8"` (a quote is unsafe) are not.
    private static func contentTypeSafelisting(_ bytes: String.UTF8View) -> Safelisting {
        if bytes.contains(where: isCORSUnsafeByte) {
            return .unsafe("The 'content-type' value contains a CORS-unsafe byte (a control byte or one of \"():<>?@[\\]{}).")
        }
        let mediaType = bytes.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false)[0]
        let components = mediaType.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard components.count == 2 else {
            return .unsafe("The 'content-type' value is not a MIME type 'type/subtype'.")
        }
        let type = components[0].drop(while: isMIMEWhitespace)
        var subtype = components[1][...]
        while let last = subtype.last, isMIMEWhitespace(last) { subtype = subtype.dropLast() }
        guard ASCII.isToken(type), ASCII.isToken(subtype) else {
            return .unsafe("The 'content-type' value is not a MIME type 'type/subtype'.")
        }
        let essence = String(decoding: type.map(ASCII.lowercased) + [UInt8(ascii: "/")] + subtype.map(ASCII.lowercased), as: UTF8.self)
        guard safelistedContentTypeEssences.contains(essence) else {
            return .unsafe(
                "Content-Type '\(essence)' is not one of application/x-www-form-urlencoded, multipart/form-data or text/plain.")
        }
        return .safelisted
    }

    private static func isMIMEWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0B || byte == 0x0C || byte == 0x0D
    }

    /// A simple range (L1010, "simple range header value"): `bytes=start-[end]`, `bytes`
    /// case-sensitive (measured: `BYTES=0-5` gets a preflight on Chromium 156), no whitespace,
    /// one range, a start, numbers that fit in 63 bits, and start ≤ end.
    private static func isSimpleRange(_ bytes: String.UTF8View) -> Bool {
        let prefix = "bytes=".utf8
        guard bytes.starts(with: prefix) else { return false }
        let spec = bytes.dropFirst(prefix.count)
        guard let dash = spec.firstIndex(of: UInt8(ascii: "-")) else { return false }
        guard let start = ASCII.decimalValue(spec[spec.startIndex..<dash]) else { return false }
        let endDigits = spec[spec.index(after: dash)...]
        if endDigits.isEmpty { return true }
        guard let end = ASCII.decimalValue(endDigits) else { return false }
        return start <= end
    }

    /// Chromium's `IsSimilarToIntABNF` (`1*DIGIT`) and `IsSimilarToDoubleABNF`
    /// (`1*DIGIT [ "." 1*DIGIT ]`).
    private static func isDecimalNumber(_ bytes: String.UTF8View, allowingFraction: Bool) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 1 || (allowingFraction && parts.count == 2) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(ASCII.isDigit) }
    }
}
