// Fuzzes origins: the policy's own origin strings through validation (and the canonical
// spelling it suggests), and arbitrary Origin values through CORSEngine.decide against a
// policy of exact origins and patterns. The browser model's origin and URL parsers must agree
// with the validator and be idempotent.
//
// Input: [flags] [counts] then lines: allowOrigins…, allowOriginPatterns…, request Origins…
import CORS
import CORSBrowserModel
import FuzzSupport
import HTTPTypes

private let specialSchemes: Set<String> = ["http", "https", "ws", "wss", "ftp"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOrigins(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let flags = input.byte()
    let counts = input.byte()
    let lines = input.segments().prefix(16).map { String(lossy: $0) }
    let originCount = min(Int(counts & 0x07), lines.count)
    let patternCount = min(Int((counts >> 3) & 0x03), lines.count - originCount)
    let allowOrigins = Array(lines.prefix(originCount))
    let patterns = Array(lines.dropFirst(originCount).prefix(patternCount))
    let requestOrigins = Array(lines.dropFirst(originCount + patternCount))

    for entry in allowOrigins.prefix(4) { checkOriginEntry(entry) }
    for entry in patterns.prefix(3) { checkPatternEntry(entry) }

    var builder = PolicyBuilder()
    builder.allowOrigins = allowOrigins
    builder.allowOriginPatterns = patterns
    builder.allowCredentials = flags & 1 != 0
    builder.dangerouslyAllowNullOrigin = flags & 2 != 0
    builder.dangerouslyAllowInsecureOriginsWithCredentials = flags & 4 != 0
    builder.allowMethods = ["PUT"]
    builder.allowHeaders = ["Content-Type"]
    builder.exposeHeaders = ["X-Request-Id"]
    let problems = builder.problems()
    for problem in problems {
        require(!problem.message.isEmpty && !problem.fix.isEmpty, "problem without message or fix: \(problem)")
    }
    guard let policy = flags & 8 != 0 ? builder.make() : builder.makeDroppingRefusedEntries() else { return 0 }
    let engine = CORSEngine(policy: policy)

    var candidates = requestOrigins.map(Bytes.of)
    for entry in policy.allowOrigins.prefix(2) + policy.allowOriginPatterns.prefix(2) {
        candidates += nearMisses(of: entry)
    }
    for origin in candidates.prefix(48) {
        EngineCheck.run(engine, EngineCheck.request(.get, [(.origin, origin)]))
        EngineCheck.run(
            engine, EngineCheck.request(.options, [(.origin, origin), (.accessControlRequestMethod, Bytes.of("PUT"))]))
        var appFields = HTTPFields()
        appFields.append(HTTPField(name: .accessControlAllowOrigin, value: "https://evil.example"))
        appFields.append(HTTPField(name: .vary, value: origin))  // the application's own (valid) Vary
        EngineCheck.run(engine, EngineCheck.request(.post, [(.origin, origin)]), appFields: appFields)
        if let trusted = policy.allowOrigins.first {
            // Two Origin lines never get anything, even when one of them is trusted.
            let (decision, _) = EngineCheck.run(
                engine, EngineCheck.request(.get, [(.origin, Bytes.of(trusted)), (.origin, origin)]))
            require(!decision.isOriginTrusted, "two Origin lines trusted")
        }
    }
    for origin in requestOrigins.prefix(8) { checkBrowserParsing(origin) }
    return 0
}

/// The canonical spelling a problem's fix suggests ("…: did you mean https://x.example?").
private func suggestion(in problems: [CORSPolicyProblem]) -> String? {
    for problem in problems {
        if let range = problem.fix.firstRange(of: "did you mean "), problem.fix.hasSuffix("?") {
            return String(problem.fix[range.upperBound...].dropLast())
        }
    }
    return nil
}

/// One allowOrigins entry on its own: the suggested spelling is a fixed point, and an entry
/// the validator accepts is exactly what a browser sends.
private func checkOriginEntry(_ entry: String) {
    let problems = CORSPolicy.problems(allowOrigins: [entry])
    if let suggested = suggestion(in: problems) {
        require(suggested != entry, "suggests the entry itself: \(show(entry))")
        // A fix-it is accepted as it is.
        let again = CORSPolicy.problems(allowOrigins: [suggested])
        require(
            !again.contains { $0.severity == .error },
            "suggestion \(show(suggested)) for \(show(entry)) is refused in turn: \(again.map(\.code.rawValue))")
    }
    guard entry != "*", entry != "null", !problems.contains(where: { $0.severity == .error }) else { return }
    let scheme = entry.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
    guard specialSchemes.contains(scheme) else { return }
    let parsed = WebOrigin(entry)
    require(parsed != nil, "the validator accepts \(show(entry)) but a browser cannot parse it as an origin")
    require(
        parsed?.serialized == entry,
        "the validator accepts \(show(entry)) but a browser sends \(show(parsed?.serialized ?? ""))")
}

/// One allowOriginPatterns entry on its own: the suggestion is a fixed point; a valid pattern
/// matches its own simplest instance.
private func checkPatternEntry(_ entry: String) {
    let problems = CORSPolicy.problems(allowOriginPatterns: [entry])
    if let suggested = suggestion(in: problems) {
        let again = CORSPolicy.problems(allowOriginPatterns: [suggested])
        require(
            suggestion(in: again) == nil,
            "pattern suggestion \(show(suggested)) for \(show(entry)) is not canonical: it suggests \(show(suggestion(in: again) ?? ""))")
    }
    guard !problems.contains(where: { $0.severity == .error }),
        let policy = try? CORSPolicy(allowOriginPatterns: [entry])
    else { return }
    var instance = entry.replacing("://*.", with: "://a.")
    if instance.hasSuffix(":*") { instance.removeLast(2) }
    require(OriginOracle.patternAllows(entry, origin: Bytes.of(instance)), "oracle rejects \(show(instance)) for \(show(entry))")
    let (decision, _) = EngineCheck.run(CORSEngine(policy: policy), EngineCheck.request(.get, [(.origin, Bytes.of(instance))]))
    require(decision.isOriginTrusted || instance.utf8.count > EngineCheck.maximumOriginLength, "pattern \(show(entry)) rejects \(show(instance))")
}

/// Near-miss spellings of a trusted origin or pattern, which must never be trusted unless the
/// oracle says so.
private func nearMisses(of entry: String) -> [[UInt8]] {
    let base = entry.replacing("://*.", with: "://x.").replacing(":*", with: ":8080")
    let bytes = Bytes.of(base)
    var variants: [String] = [
        base, base + "/", base + ".", base + ":443", base + ":", base + " ", " " + base, base + "\t", base.uppercased(),
        "x" + base, base + "x", String(base.dropLast()), base + ".evil.example", base.replacing("://", with: "://evil."),
        base.replacing("://", with: "://user@"), base.replacing("https://", with: "http://"),
        base.replacing("http://", with: "https://"), base + "%2e", base.replacing(".", with: "%2E"),
        base.replacing("://x.", with: "://x..") , base.replacing("://x.", with: "://-x."), base.replacing("://x.", with: "://X."),
        base.replacing("://x.", with: "://xn--bcher-kva."), base.replacing("://x.", with: "://bücher."), "null", base + "\0",
    ]
    if let colon = base.lastIndex(of: ":"), base[colon...].dropFirst().allSatisfy(\.isNumber) {
        variants.append(String(base[..<colon]) + ":0" + base[colon...].dropFirst())
    }
    return variants.map(Bytes.of) + [bytes + [0xFF], Array(bytes.dropFirst())]
}

/// The browser model's parsers are idempotent: what they print, they read back unchanged.
private func checkBrowserParsing(_ text: String) {
    if let origin = WebOrigin(text) {
        let serialized = origin.serialized
        require(WebOrigin(serialized)?.serialized == serialized, "WebOrigin not idempotent: \(show(text)) → \(show(serialized))")
        if case .tuple(let scheme, let host, _) = origin {
            require(scheme == scheme.lowercased() && !scheme.isEmpty, "WebOrigin scheme \(show(scheme))")
            require(host.utf8.allSatisfy { $0 < 0x80 && !(0x41...0x5A).contains($0) }, "WebOrigin host \(show(host))")
        }
    }
    if let url = WebURL(text) {
        let serialized = url.serialized
        let again = WebURL(serialized)
        require(again?.serialized == serialized, "WebURL not idempotent: \(show(text)) → \(show(serialized)) → \(show(again?.serialized ?? "nil"))")
        require(url.path.hasPrefix("/"), "WebURL path \(show(url.path))")
        require(url.origin == again?.origin, "WebURL origin changes on re-parse: \(show(text))")
        if let base = WebURL("https://api.example.com/a/b?c") {
            let relative = WebURL(text, relativeTo: base)
            if let relative { require(WebURL(relative.serialized)?.serialized == relative.serialized, "relative not idempotent") }
        }
    }
}
