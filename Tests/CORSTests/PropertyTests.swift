import CORS
import CORSTestSupport
import HTTPTypes
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Property tests of the engine (Fuzz/README.md, "Property tests"): random valid policies, and random origins
// generated on purpose as near-misses of the trusted ones (prefix, suffix, substring, case,
// port, scheme, trailing dot, userinfo, percent-encoding, IDN/punycode, `null`, whitespace,
// trailing slash), each through a random request. Invariants, against an oracle written here
// from the documented rules and not from the engine's code:
//
// - no untrusted origin is ever granted: `Access-Control-Allow-Origin` is `*` only for a public
//   policy, and otherwise byte-for-byte the request's single `Origin`, which the oracle trusts;
//   an untrusted origin gets no `Access-Control-*` field at all;
// - every origin the oracle trusts is granted (the engine is not simply refusing everything);
// - `Vary` names `Origin` whenever the response depends on the origin (every response of a
//   policy that is not `*`, and every OPTIONS response, which also names the request headers);
// - every emitted field value is a valid field value (RFC 9110).
//
// `CORS_PROPERTY_CASES` sets the number of cases (default 10,000), `CORS_PROPERTY_SEED` the
// seed; a failure names the seed and the case, and every case has its own generator, so it
// reproduces with the same seed.

@Suite("Property tests")
struct PropertyTests {
    static let cases = environmentInteger("CORS_PROPERTY_CASES").map { max(1, $0) } ?? 10_000
    static let seed = environmentInteger("CORS_PROPERTY_SEED").map { UInt64(truncatingIfNeeded: $0) } ?? 0xC0_45_2024

    @Test("random policies × near-miss origins: only trusted origins are granted, Vary, valid values")
    func randomPoliciesAndNearMisses() {
        var failures: [String] = []
        var failureCount = 0
        var stats = Stats()
        for index in 0..<Self.cases {
            var rng = SplitMix64(seed: Self.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            let generated = PolicyGenerator.policy(&rng)
            let policy: CORSPolicy
            do {
                policy = try generated.make()
            } catch {
                failureCount += 1
                if failures.count < 5 {
                    failures.append("seed \(Self.seed) case \(index): the generator's policy is invalid: \(error)")
                }
                continue
            }
            let origin = OriginGenerator.candidate(for: policy, &rng, stats: &stats)
            let request = RequestGenerator.request(origin: origin, policy: policy, &rng)
            let problems = PropertyOracle.check(policy: policy, request: request, stats: &stats)
            if !problems.isEmpty {
                failureCount += 1
                if failures.count < 5 {
                    failures.append(
                        "seed \(Self.seed) case \(index): \(problems.joined(separator: "; "))\n  policy: origins \(policy.allowOrigins), patterns \(policy.allowOriginPatterns), credentials \(policy.allowCredentials)\n  request: \(request.method) \(request.headerFields.map { "\($0.name): \(escaped(bytes(of: $0)))" })"
                    )
                }
            }
        }
        print(
            "PropertyTests: \(Self.cases) cases (seed \(Self.seed)): \(stats.nearMisses) near-miss origins, \(stats.granted) granted, \(stats.refused) refused, \(stats.notCORS) without Origin; \(failureCount) failures"
        )
        #expect(failureCount == 0, "\(failureCount) of \(Self.cases) cases failed; first ones:\n\(failures.joined(separator: "\n"))")
        // The generator must really exercise both sides of the decision.
        if Self.cases >= 1000 {
            #expect(stats.granted > Self.cases / 20 && stats.nearMisses > Self.cases / 5, "\(stats)")
        }
    }

    @Test("the near-miss generator produces each kind, and the tutorial policy refuses every one of them")
    func tutorialRefusesNearMisses() {
        let engine = CORSEngine(policy: .tutorial)
        for trusted in CORSPolicy.tutorial.allowOrigins {
            for (kind, variant) in NearMiss.all(of: Array(trusted.utf8)) where variant != Array(trusted.utf8) {
                let request = HTTPRequest(
                    method: .get, scheme: "https", authority: "api.example.com", path: "/me",
                    headerFields: HTTPFields([HTTPField(name: .origin, lenientValue: variant)]))
                let fields = engine.decide(request).headerFields
                #expect(fields[.accessControlAllowOrigin] == nil, "\(kind) of \(trusted): \(escaped(variant))")
                #expect(fields[values: .vary] == ["Origin"], "\(kind) of \(trusted)")
            }
        }
    }
}

// MARK: - The oracle

struct Stats: CustomStringConvertible {
    var nearMisses = 0
    var granted = 0
    var refused = 0
    var notCORS = 0

    var description: String { "near-misses \(nearMisses), granted \(granted), refused \(refused), notCORS \(notCORS)" }
}

enum PropertyOracle {
    /// Every invariant on one request; the broken ones, described.
    static func check(policy: CORSPolicy, request: HTTPRequest, stats: inout Stats) -> [String] {
        var problems: [String] = []
        let engine = CORSEngine(policy: policy)
        let decision = engine.decide(request)
        let origins = request.headerFields.filter { $0.name == .origin }.map(bytes(of:))
        let isPublic = policy.allowOrigins.contains("*")
        let trusted = origins.count == 1 && trusts(policy, origins[0])

        var fields: HTTPFields
        if decision.isPreflight {
            let response = decision.preflightResponse()
            fields = response.headerFields
            let expected = trusted ? policy.preflightStatus : 403
            if response.status.code != expected { problems.append("preflight status \(response.status.code), expected \(expected)") }
        } else {
            // The application's own fields: Vary it set, and a stale Access-Control-Allow-Origin
            // that the engine must replace.
            fields = HTTPFields([
                HTTPField(name: .contentType, value: "application/json"),
                HTTPField(name: .accessControlAllowOrigin, value: "https://stale.example"),
            ])
            if request.headerFields[.cacheControl] == "vary" { fields.append(HTTPField(name: .vary, value: "Accept-Encoding")) }
            decision.apply(to: &fields)
        }

        for field in fields where !HTTPField.isValidValue(bytes(of: field)) {
            problems.append("invalid value in \(field.name): \(escaped(bytes(of: field)))")
        }
        let allowOrigin = fields.filter { $0.name == .accessControlAllowOrigin }.map(bytes(of:))
        if allowOrigin.count > 1 { problems.append("\(allowOrigin.count) Access-Control-Allow-Origin lines") }
        if let granted = allowOrigin.first {
            if granted == Array("*".utf8) {
                if !(isPublic && !policy.allowCredentials) { problems.append("ACAO * for a policy that is not public") }
            } else if !(origins.count == 1 && granted == origins[0] && trusted) {
                problems.append("granted \(escaped(granted)) to an origin the policy does not allow")
            }
        }
        if fields[.accessControlAllowCredentials] != nil && (allowOrigin.first == Array("*".utf8) || allowOrigin.isEmpty) {
            problems.append("Access-Control-Allow-Credentials without an explicit origin")
        }
        let accessControl = fields.filter { $0.name.canonicalName.hasPrefix("access-control-") }
        if !origins.isEmpty && !trusted && !accessControl.isEmpty {
            problems.append("Access-Control-* for an untrusted origin: \(accessControl.map(\.description))")
        }
        // Completeness: a trusted origin is granted (within the documented 320-byte bound).
        if trusted && (isPublic || origins[0].count <= 320) && allowOrigin.isEmpty {
            problems.append("a trusted origin got no Access-Control-Allow-Origin")
        }

        let vary = Set(
            fields.filter { $0.name == .vary }.flatMap { field in
                bytes(of: field).split(separator: UInt8(ascii: ",")).map { lowercased(trimmed(Array($0))) }
            })
        func varies(_ name: String) -> Bool { vary.contains(Array("*".utf8)) || vary.contains(lowercased(Array(name.utf8))) }
        if decision.isPreflight || request.method == .options {
            for name in ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"] where !varies(name) {
                problems.append("OPTIONS response without Vary: \(name)")
            }
        } else if !isPublic && !varies("Origin") {
            problems.append("origin-dependent response without Vary: Origin")
        }

        if origins.isEmpty {
            stats.notCORS += 1
        } else if allowOrigin.isEmpty {
            stats.refused += 1
        } else {
            stats.granted += 1
        }
        return problems
    }

    /// Byte equality with an entry of `allowOrigins`, `*`, the opted-in `null`, or a pattern.
    static func trusts(_ policy: CORSPolicy, _ origin: [UInt8]) -> Bool {
        if policy.allowOrigins.contains("*") { return true }
        if origin == Array("null".utf8) {
            return policy.dangerouslyAllowNullOrigin && policy.allowOrigins.contains("null")
        }
        if policy.allowOrigins.contains(where: { $0 != "null" && Array($0.utf8) == origin }) { return true }
        return policy.allowOriginPatterns.contains { patternAllows($0, origin) }
    }

    /// `scheme://*.suffix[:port]`: the scheme, one or more LDH labels (lowercase letters,
    /// digits, inner hyphens, 1…63 bytes), `.suffix`, and exactly the port (none, or `:port`).
    /// `scheme://host:*`: exactly the host, and no port or `:` 1…65535 without a leading zero.
    static func patternAllows(_ pattern: String, _ origin: [UInt8]) -> Bool {
        let text = Array(pattern.utf8)
        guard let schemeEnd = firstIndex(of: Array("://".utf8), in: text) else { return false }
        let prefix = Array(text[..<(schemeEnd + 3)])
        var host = Array(text[(schemeEnd + 3)...])
        var port: [UInt8]? = nil
        if let colon = host.lastIndex(of: UInt8(ascii: ":")), host.last != UInt8(ascii: "]") {
            port = Array(host[(colon + 1)...])
            host = Array(host[..<colon])
        }
        guard origin.starts(with: prefix) else { return false }
        let authority = Array(origin[prefix.count...])
        var splits = [(authority, [UInt8]())]
        for index in authority.indices where authority[index] == UInt8(ascii: ":") {
            splits.append((Array(authority[..<index]), Array(authority[index...])))
        }
        return splits.contains { originHost, originPort in
            let hostMatches: Bool
            if host.starts(with: Array("*.".utf8)) {
                let suffix = Array(host.dropFirst(1))  // ".suffix"
                if originHost.count > suffix.count, Array(originHost.suffix(suffix.count)) == suffix {
                    hostMatches = originHost.dropLast(suffix.count)
                        .split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
                        .allSatisfy(isLDHLabel)
                } else {
                    hostMatches = false
                }
            } else {
                hostMatches = originHost == host
            }
            let portMatches: Bool
            switch port {
            case nil:
                portMatches = originPort.isEmpty
            case Array("*".utf8)?:
                let digits = originPort.dropFirst()
                portMatches =
                    originPort.isEmpty
                    || (originPort.first == UInt8(ascii: ":") && (1...5).contains(digits.count)
                        && digits.first != UInt8(ascii: "0") && digits.allSatisfy { (0x30...0x39).contains($0) }
                        && Int(String(decoding: digits, as: UTF8.self))! <= 65535)
            case let exact?:
                portMatches = originPort == [UInt8(ascii: ":")] + exact
            }
            return hostMatches && portMatches
        }
    }

    static func isLDHLabel(_ label: ArraySlice<UInt8>) -> Bool {
        (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
            && label.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
    }
}

// MARK: - Generators

extension SplitMix64 {
    mutating func subset<T>(_ choices: [T]) -> [T] { choices.filter { _ in chance(50) } }
}

/// Settings of a policy, generated valid by construction.
typealias GeneratedPolicy = CORSPolicySettings

enum PolicyGenerator {
    static let labels = ["app", "api", "www", "admin", "a", "b1", "shop", "x-y", "dev", "static", "xn--bcher-kva"]
    static let domains = ["example.com", "example.org", "corp.example.net", "example.co.uk", "test.example", "b.example.com"]

    static func host(_ rng: inout SplitMix64) -> String {
        if rng.chance(25) {
            var label = ""
            for _ in 0..<Int.random(in: 1...8, using: &rng) { label.append(rng.pick(Array("abcdefghijklmnopqrstuvwxyz0123456789"))) }
            return label + "." + rng.pick(domains)
        }
        return rng.pick(labels) + "." + rng.pick(domains)
    }

    static func port(scheme: String, _ rng: inout SplitMix64) -> String {
        guard rng.chance(30) else { return "" }
        var port = rng.pick([8080, 8443, 3000, 5173, 1, 65535, 444, 81, Int.random(in: 1...65535, using: &rng)])
        if port == (scheme == "https" ? 443 : 80) { port = 8081 }
        return ":\(port)"
    }

    /// An exact origin in serialized form; with credentials, https or loopback only.
    static func origin(credentials: Bool, _ rng: inout SplitMix64) -> String {
        if rng.chance(15) {
            let host = rng.pick(["localhost", "127.0.0.1", "[::1]", "dev.localhost"])
            return "http://\(host)\(port(scheme: "http", &rng))"
        }
        let scheme = credentials || rng.chance(70) ? "https" : "http"
        return "\(scheme)://\(host(&rng))\(port(scheme: scheme, &rng))"
    }

    static func pattern(credentials: Bool, _ rng: inout SplitMix64) -> String {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return "http://localhost:*"
        case 1: return "https://\(host(&rng)):*"
        case 2: return "https://*.\(rng.pick(domains)):\(rng.pick([8443, 3000]))"
        default: return "https://*.\(rng.pick(domains))"
        }
    }

    static func policy(_ rng: inout SplitMix64) -> GeneratedPolicy {
        var policy = GeneratedPolicy()
        let isPublic = rng.chance(12)
        policy.allowCredentials = !isPublic && rng.chance(50)
        if isPublic {
            policy.allowOrigins = ["*"]
        } else {
            let exactCount = rng.chance(20) ? 0 : Int.random(in: 1...3, using: &rng)
            let patternCount = exactCount == 0 ? Int.random(in: 1...2, using: &rng) : (rng.chance(40) ? Int.random(in: 1...2, using: &rng) : 0)
            for _ in 0..<exactCount { policy.allowOrigins.append(origin(credentials: policy.allowCredentials, &rng)) }
            for _ in 0..<patternCount { policy.allowOriginPatterns.append(pattern(credentials: policy.allowCredentials, &rng)) }
            if rng.chance(8) {
                policy.allowOrigins.append("null")
                policy.dangerouslyAllowNullOrigin = true
            }
        }
        let wildcardLists = !policy.allowCredentials && rng.chance(20)
        policy.allowMethods = wildcardLists ? ["*"] : rng.subset(["PUT", "DELETE", "PATCH", "GET"])
        policy.allowHeaders = wildcardLists ? ["*"] : rng.subset(["Authorization", "Content-Type", "X-Request-Id", "X-Custom"])
        policy.exposeHeaders = wildcardLists && rng.chance(50) ? ["*"] : rng.subset(["X-Request-Id", "X-Total-Count"])
        policy.maxAge = rng.chance(50) ? Int.random(in: 0...7200, using: &rng) : nil
        policy.allowPrivateNetwork = rng.chance(10)
        policy.preflightStatus = rng.chance(20) ? 200 : 204
        return policy
    }
}

/// Near-miss spellings of a trusted origin: each kind is what an attacker could register or
/// send, or what a sloppy comparison (prefix, suffix, substring, case-insensitive, Unicode
/// equivalence) would confuse with the trusted origin.
enum NearMiss {
    static func all(of origin: [UInt8]) -> [(String, [UInt8])] {
        let text = String(decoding: origin, as: UTF8.self)
        let schemeEnd = text.firstRange(of: "://")
        let scheme = schemeEnd.map { String(text[..<$0.lowerBound]) } ?? "https"
        let authority = schemeEnd.map { String(text[$0.upperBound...]) } ?? text
        var host = authority
        var port = ""
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = String(authority[..<colon])
            port = String(authority[colon...])
        }
        let otherScheme = scheme == "https" ? "http" : "https"
        let firstLabelEnd = host.firstIndex(of: ".")
        let parent = firstLabelEnd.map { String(host[host.index(after: $0)...]) } ?? host
        var variants: [(String, String)] = [
            ("prefix", String(text.dropLast())),
            ("prefix-label", "\(scheme)://\(parent)\(port)"),
            ("suffix", text + "x"),
            ("suffix-domain", "\(scheme)://\(host).evil.example\(port)"),
            ("suffix-hyphen", "\(scheme)://\(host)-evil.example\(port)"),
            ("prefix-host", "\(scheme)://evil\(host)\(port)"),
            ("subdomain", "\(scheme)://evil.\(host)\(port)"),
            ("substring", "\(scheme)://\(host.dropFirst())\(port)"),
            ("case-all", text.uppercased()),
            ("case-scheme", scheme.uppercased() + "://" + host + port),
            ("case-host", "\(scheme)://\(host.prefix(1).uppercased())\(host.dropFirst())\(port)"),
            ("port-default", "\(scheme)://\(host):\(scheme == "https" ? 443 : 80)"),
            ("port-other", "\(scheme)://\(host):\(port == ":8080" ? 8081 : 8080)"),
            ("port-none", "\(scheme)://\(host)"),
            ("port-empty", "\(scheme)://\(host)\(port):"),
            ("port-zero", port.isEmpty ? "\(scheme)://\(host):0" : "\(scheme)://\(host):0\(port.dropFirst())"),
            ("port-overflow", "\(scheme)://\(host):65536"),
            ("scheme", "\(otherScheme)://\(host)\(port)"),
            ("scheme-ws", "wss://\(host)\(port)"),
            ("scheme-missing", host + port),
            ("scheme-relative", "//\(host)\(port)"),
            ("trailing-dot", "\(scheme)://\(host).\(port)"),
            ("userinfo", "\(scheme)://user@\(host)\(port)"),
            ("userinfo-evil", "\(scheme)://\(host)\(port)@evil.example"),
            ("userinfo-password", "\(scheme)://\(host):pass@evil.example"),
            ("percent-dot", "\(scheme)://\(host.replacing(".", with: "%2E"))\(port)"),
            ("percent-letter", "\(scheme)://%\(String(host.utf8.first ?? 0x61, radix: 16))\(host.dropFirst())\(port)"),
            ("percent-nul", text + "%00"),
            ("idn-unicode", "\(scheme)://\(host.replacing("a", with: "а"))\(port)"),  // Cyrillic а
            ("idn-umlaut", "\(scheme)://ü\(host)\(port)"),
            ("idn-punycode", "\(scheme)://xn--\(host)\(port)"),
            ("idn-combining", text + "\u{301}"),
            ("idn-fullwidth-dot", "\(scheme)://\(host.replacing(".", with: "\u{FF0E}"))\(port)"),
            ("null", "null"),
            ("null-case", "Null"),
            ("null-quoted", "\"null\""),
            ("whitespace-leading", " " + text),
            ("whitespace-trailing", text + " "),
            ("whitespace-tab", text + "\t"),
            ("whitespace-inner", "\(scheme)://\(host) \(port)"),
            ("trailing-slash", text + "/"),
            ("path", text + "/app"),
            ("query", text + "?x"),
            ("fragment", text + "#x"),
            ("list", text + ", https://evil.example"),
            ("list-space", text + " https://evil.example"),
            ("backslash", "\(scheme):\\\\\(host)\(port)"),
            ("wildcard", "*"),
        ]
        if host.hasPrefix("*.") {
            variants.append(("bare-domain", "\(scheme)://\(host.dropFirst(2))\(port)"))
        }
        var result = variants.map { ($0.0, Array($0.1.utf8)) }
        result.append(("control-byte", origin + [0x01]))
        result.append(("nul-byte", origin + [0x00]))
        result.append(("invalid-utf8", origin + [0xFF]))
        result.append(("high-byte-host", Array("\(scheme)://".utf8) + [0xC3] + Array(host.utf8.dropFirst()) + Array(port.utf8)))
        result.append(("long", origin + Array(repeating: UInt8(ascii: "a"), count: 400)))
        return result
    }
}

enum OriginGenerator {
    /// A trusted origin, an instance of a pattern, or (most often) a near-miss of either.
    static func candidate(for policy: CORSPolicy, _ rng: inout SplitMix64, stats: inout Stats) -> [UInt8]? {
        var bases = policy.allowOrigins.filter { $0 != "*" && $0 != "null" }.map { Array($0.utf8) }
        bases += policy.allowOriginPatterns.map { Array(instance(of: $0, &rng).utf8) }
        if bases.isEmpty { bases = [Array(PolicyGenerator.origin(credentials: false, &rng).utf8)] }
        let base = rng.pick(bases)
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<25:
            return base
        case 25..<30:
            return rng.chance(50) ? Array("null".utf8) : nil
        case 30..<35:
            return (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 35..<40:
            return Array(PolicyGenerator.origin(credentials: false, &rng).utf8)
        default:
            stats.nearMisses += 1
            var variant = rng.pick(NearMiss.all(of: base)).1
            if rng.chance(15) { variant = rng.pick(NearMiss.all(of: variant)).1 }  // two steps away
            return variant
        }
    }

    /// An origin a pattern allows: one or two labels for `*.`, a port for `:*`.
    static func instance(of pattern: String, _ rng: inout SplitMix64) -> String {
        var text = pattern
        if text.contains("://*.") {
            let labels = rng.chance(30) ? "\(rng.pick(PolicyGenerator.labels)).\(rng.pick(PolicyGenerator.labels))" : rng.pick(PolicyGenerator.labels)
            text = text.replacing("://*.", with: "://\(labels).")
        }
        if text.hasSuffix(":*") {
            text.removeLast(2)
            if rng.chance(70) { text += ":\(Int.random(in: 1...65535, using: &rng))" }
        }
        return text
    }
}

enum RequestGenerator {
    /// A random request carrying `origin` (or no Origin when `nil`): an actual request, a
    /// preflight, or a non-preflight OPTIONS; sometimes with a second Origin line.
    static func request(origin: [UInt8]?, policy: CORSPolicy, _ rng: inout SplitMix64) -> HTTPRequest {
        var fields = HTTPFields()
        if let origin { fields.append(HTTPField(name: .origin, lenientValue: origin)) }
        if origin != nil && rng.chance(3) {
            let other = policy.allowOrigins.first { $0 != "*" } ?? "https://evil.example"
            fields.append(HTTPField(name: .origin, value: other))
        }
        if rng.chance(30) { fields.append(HTTPField(name: .cacheControl, value: "vary")) }
        let method: HTTPRequest.Method
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<4:
            method = rng.pick([.get, .post, .put, .delete, .head])
        case 4..<9:
            method = .options
            fields.append(HTTPField(name: .accessControlRequestMethod, value: rng.pick(["PUT", "PATCH", "GET", "patch", "DELETE"])))
            if rng.chance(60) {
                let names = rng.subset(["authorization", "content-type", "x-request-id", "x-custom", "x-other"])
                fields.append(HTTPField(name: .accessControlRequestHeaders, value: names.joined(separator: ",")))
            }
            if rng.chance(10) { fields.append(HTTPField(name: .accessControlRequestPrivateNetwork, value: "true")) }
        default:
            method = .options
        }
        return HTTPRequest(method: method, scheme: "https", authority: "api.example.com", path: "/me", headerFields: fields)
    }
}

// MARK: - Helpers

private func environmentInteger(_ name: String) -> Int? {
    guard let value = getenv(name) else { return nil }
    return Int(String(cString: value))
}

private func bytes(of field: HTTPField) -> [UInt8] {
    field.withUnsafeBytesOfValue { Array($0) }
}

private func trimmed(_ bytes: [UInt8]) -> [UInt8] {
    var slice = bytes[...]
    while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
    while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
    return Array(slice)
}

private func lowercased(_ bytes: [UInt8]) -> [UInt8] {
    bytes.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
}

private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
}

/// Bytes as a quoted, escaped string for failure messages.
func escaped(_ bytes: [UInt8]) -> String {
    var text = "\""
    for byte in bytes.prefix(200) {
        if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
            text.append(Character(Unicode.Scalar(byte)))
        } else {
            text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }
    }
    return text + (bytes.count > 200 ? "…\"" : "\"")
}
