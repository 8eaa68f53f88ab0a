// Fuzzes Access-Control-Request-Headers through CORSEngine.decide: arbitrary bytes in one or
// more ACRH lines, against a policy whose allowHeaders (and methods) come from the input.
//
// Input: [flags] [method choice] allowHeaders-list "\n" ACRH line "\n" ACRH line …
import CORS
import FuzzSupport
import HTTPTypes

private let trusted = "https://app.example.com"
private let methods = ["GET", "PUT", "PATCH", "patch", "DELETE", "POST", "X-Custom", "G T", "", "put"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestHeaders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let flags = input.byte()
    let method = input.pick(methods)
    var builder = PolicyBuilder()
    builder.allowOrigins = [trusted]
    builder.allowCredentials = flags & 1 != 0
    builder.allowMethods = flags & 2 != 0 ? ["*"] : ["PUT", "DELETE"]
    builder.allowHeaders = input.segment().split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        .map { String(lossy: Array($0)) }
    if flags & 4 != 0 { builder.allowHeaders.append("*") }
    guard let policy = builder.makeDroppingRefusedEntries() else { return 0 }
    let engine = CORSEngine(policy: policy)
    let lines = input.segments()

    var fields: [(HTTPField.Name, [UInt8])] = [
        (.origin, Bytes.of(flags & 8 != 0 ? "https://evil.example" : trusted)),
        (.accessControlRequestMethod, Bytes.of(method)),
    ]
    for line in lines.prefix(8) { fields.append((.accessControlRequestHeaders, line)) }
    let request = EngineCheck.request(.options, fields)
    let (decision, _) = EngineCheck.run(engine, request)
    // Also as an actual request and a non-preflight OPTIONS: the ACRH lines must not matter.
    EngineCheck.run(engine, EngineCheck.request(.put, fields))
    EngineCheck.run(engine, EngineCheck.request(.options, fields.filter { $0.0 != .accessControlRequestMethod }))

    guard decision.isOriginTrusted else { return 0 }
    // The lines as the engine receives them (the field legalizes CR, LF and NUL).
    let received = Bytes.values(.accessControlRequestHeaders, in: request.headerFields)
    checkHeaders(policy: policy, method: method, lines: received, outcome: decision.outcome)
    return 0
}

/// The oracle for ACRH, written from the documented rules: a comma-separated list of tokens,
/// optional whitespace around each, empty elements ignored, at most 4096 bytes over all lines
/// and 128 elements; each name listed in allowHeaders (ASCII case-insensitively) or covered by
/// `*` (never Authorization).
private func checkHeaders(policy: CORSPolicy, method: String, lines: [[UInt8]], outcome: CORSDecision.Outcome) {
    let methodAllowed =
        Bytes.isToken(Bytes.of(method))
        && (["GET", "HEAD", "POST"].contains(method) || policy.allowMethods.contains("*")
            || policy.allowMethods.contains(method))
    if case .preflightDenied(.methodNotAllowed) = outcome {
        require(!methodAllowed, "method \(show(method)) refused although allowed")
        return
    }
    if case .preflightDenied(.malformedRequestMethod) = outcome {
        require(!Bytes.isToken(Bytes.of(method)), "method \(show(method)) called malformed")
        return
    }
    require(methodAllowed, "method \(show(method)) passed although not allowed: \(outcome)")

    let totalBytes = lines.reduce(0) { $0 + $1.count }
    let rawElements = lines.flatMap { $0.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) }
    let names = rawElements.map { Bytes.trimOWS($0) }.filter { !$0.isEmpty }
    let listed = Set(policy.allowHeaders.filter { $0 != "*" }.map { Bytes.lower(Bytes.of($0)) })
    let wildcard = policy.allowHeaders.contains("*")
    func allowed(_ name: [UInt8]) -> Bool {
        let lower = Bytes.lower(name)
        return listed.contains(lower) || (wildcard && lower != Bytes.of("authorization"))
    }
    let tooLarge = totalBytes > 4096 || rawElements.count > 128
    let context = "lines \(lines.map(show)), allowHeaders \(policy.allowHeaders)"

    switch outcome {
    case .preflightAllowed:
        require(!tooLarge, "oversized ACRH allowed: \(context)")
        require(names.allSatisfy { Bytes.isToken($0) && allowed($0) }, "ACRH allowed with a name not allowed: \(context)")
    case .preflightDenied(.headerNotAllowed(let name)):
        let bytes = Bytes.of(name)
        require(
            names.contains { Bytes.isToken($0) && Bytes.lower($0) == bytes && !allowed($0) },
            "refused header \(show(name)) is not an element that is refused: \(context)")
    case .preflightDenied(.malformedRequestHeaders):
        require(names.contains { !Bytes.isToken($0) }, "ACRH called malformed though every element is a token: \(context)")
    case .preflightDenied(.requestHeadersTooLarge):
        require(tooLarge, "ACRH called too large: \(context)")
    default:
        require(false, "unexpected outcome \(outcome) for \(context)")
    }
    if !tooLarge && names.allSatisfy({ Bytes.isToken($0) && allowed($0) }) {
        require(outcome == .preflightAllowed, "ACRH refused though every name is allowed: \(outcome), \(context)")
    }
}
