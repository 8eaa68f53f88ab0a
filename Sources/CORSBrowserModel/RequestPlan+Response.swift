public import HTTPTypes
import CORSWebSyntax

extension RequestPlan {
    /// The CORS-safelisted response-header names (fetch.bs L1162): always readable.
    public static let safelistedResponseHeaderNames: Set<String> = [
        "cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma",
    ]

    /// Names no script can ever read (fetch.bs "forbidden response-header name").
    static let forbiddenResponseHeaderNames: Set<String> = ["set-cookie", "set-cookie2"]

    /// Transport and CORS headers nobody expects a script to read; left out of the
    /// "not exposed" warning so that it names only the headers an application added.
    private static let unremarkableHiddenNames: Set<String> = [
        "connection", "date", "keep-alive", "server", "transfer-encoding", "vary",
    ]

    /// Judges a response to ``actualRequest``.
    ///
    /// For a cross-origin request the CORS check runs first, with the request's credentials
    /// mode; it applies to redirect responses too (then use ``followRedirect(_:)``). What the
    /// script may then read (fetch.bs L5076, Chromium `ExtractCorsExposedHeaderNamesList`): the
    /// safelisted response headers plus the `Access-Control-Expose-Headers` names, compared
    /// case-insensitively; `*` means every header only without credentials; the list must parse
    /// as tokens or it is ignored entirely (measured: `x-a, "x-b"` exposes neither); `Set-Cookie`
    /// and `Set-Cookie2` never. A same-origin response exposes everything but `Set-Cookie`.
    public func evaluateResponse(_ response: HTTPResponse) -> ResponseEvaluation {
        let fields = response.headerFields
        if request.isCrossOrigin,
            let failure = CORSCheck.evaluate(
                fields, serializedOrigin: request.serializedOrigin, credentials: request.credentials)
        {
            return ResponseEvaluation(
                result: .failure(failure), warnings: [], consoleMessage: failure.consoleMessage(for: request))
        }

        var warnings: [BrowserWarning] = []
        var exposesAll = !request.isCrossOrigin
        var exposed = Self.safelistedResponseHeaderNames
        if request.isCrossOrigin, let exposeValue = fields.combinedValue(of: .accessControlExposeHeaders) {
            if let names = TokenList.parse(exposeValue) {
                let lowercased = Set(names.map { ASCII.lowercased($0) })
                if lowercased.contains("*") {
                    if request.credentials == .include {
                        warnings.append(
                            BrowserWarning(
                                .wildcardIgnoredWithCredentials,
                                "'Access-Control-Expose-Headers: *' exposes every header only for requests without credentials; this one includes credentials, so '*' is taken as a literal name. List the headers explicitly."
                            ))
                    } else {
                        exposesAll = true
                    }
                }
                if !lowercased.isDisjoint(with: Self.forbiddenResponseHeaderNames) {
                    warnings.append(
                        BrowserWarning(
                            .headerNotExposed,
                            "Access-Control-Expose-Headers lists Set-Cookie, but browsers never let a script read Set-Cookie or Set-Cookie2."
                        ))
                }
                exposed.formUnion(lowercased)
            } else {
                warnings.append(
                    BrowserWarning(
                        .unparsableHeaderList,
                        "Access-Control-Expose-Headers ('\(exposeValue)') is not a comma-separated list of header names, so the browser ignores all of it."
                    ))
            }
        }

        var readable = HTTPFields()
        var readableNames = Set<String>()
        var hiddenNames = Set<String>()
        for field in fields {
            let name = field.name.canonicalName
            if !Self.forbiddenResponseHeaderNames.contains(name), exposesAll || exposed.contains(name) {
                readable.append(field)
                readableNames.insert(name)
            } else {
                hiddenNames.insert(name)
            }
        }
        let remarkable = hiddenNames.filter {
            !$0.hasPrefix("access-control-") && !Self.unremarkableHiddenNames.contains($0)
                && !Self.forbiddenResponseHeaderNames.contains($0)
        }
        if !remarkable.isEmpty {
            let list = remarkable.sorted().joined(separator: ", ")
            warnings.append(
                BrowserWarning(
                    .headerNotExposed,
                    "The script cannot read \(list): add \(remarkable.count == 1 ? "it" : "them") to Access-Control-Expose-Headers."
                ))
        }
        let result = ReadableResponse(
            status: response.status, readableHeaderFields: readable, readableHeaderNames: readableNames.sorted(),
            hiddenHeaderNames: hiddenNames.sorted(), exposesAllHeaders: request.isCrossOrigin && exposesAll)
        return ResponseEvaluation(result: .success(result), warnings: warnings, consoleMessage: nil)
    }
}
