import CORS
import CORSBrowserModel
import CORSWebSyntax

/// Derives probe origins from the target's host and registrable domain AND from every origin
/// the API trusts — the scanners that derive them from the target alone miss the checks that
/// are written against the frontend's origin (`app.example.com` trusted by `api.example.com`).
struct ProbeGenerator: Sendable {
    /// A random label that makes probe domains unmistakable in logs (`cors-probe-k3x9q`).
    var token: String

    /// Characters that broken origin parsers stop at or skip (CORScanner, Corsy, nuclei). Only
    /// `_` passes Chrome's and Firefox's URL parsers; the others matter for Safari.
    static let specialCharacters = ["_", "-", "%60", "!", "~", "$", "=", "+", "&", "'", ";", ",", "*"]

    /// The candidates tried when no `--trusted-origin` is given: the target's own origin, its
    /// registrable domain, and the usual `www.` and `app.` siblings.
    static func discoveryCandidates(for target: ScanTarget) -> [String] {
        var candidates = [target.origin]
        if let domain = target.registrableDomain {
            for host in [domain, "www.\(domain)", "app.\(domain)"] {
                candidates.append("\(target.scheme)://\(host)")
            }
        }
        return candidates.uniqued()
    }

    /// Every probe for `target` and the trusted bases, most specific class first, each origin once.
    func probes(for target: ScanTarget, trusted: [TrustedBase]) -> [Probe] {
        let targetBase = TrustedBase(
            scheme: target.scheme, host: target.host, port: target.port,
            registrableDomain: target.registrableDomain, origin: target.origin)
        let bases = ([targetBase] + trusted).uniqued()
        var probes: [Probe] = []
        let evil = "cors-probe-\(token)"

        probes.append(Probe(origin: "\(target.scheme)://\(evil).com", code: .originReflection, derivedFrom: "nothing"))
        probes.append(Probe(origin: "null", code: .nullOrigin, derivedFrom: "nothing"))
        for base in bases {
            let s = base.scheme
            let from = base.origin
            probes.append(Probe(origin: "\(s)://\(base.host).\(evil).com", code: .prefixMatch, derivedFrom: from))
            if let domain = base.registrableDomain {
                probes.append(Probe(origin: "\(s)://evil\(domain)", code: .suffixMatch, derivedFrom: from))
                if base.host != domain {
                    // `evilapp.example.com` is still a subdomain of example.com: granted, it shows a
                    // check on the host's end or on any subdomain, not an attacker's own domain.
                    let variant = "evil\(base.host)"
                    let code: ScanFindingCode = RegistrableDomain.of(variant) == domain ? .anySubdomain : .suffixMatch
                    probes.append(Probe(origin: "\(s)://\(variant)", code: code, derivedFrom: from))
                }
                probes.append(Probe(origin: "\(s)://\(domain.dropFirst())", code: .substringMatch, derivedFrom: from))
                for variant in Self.unescapedDotVariants(host: base.host, domain: domain) {
                    probes.append(Probe(origin: "\(s)://\(variant)", code: .unescapedDot, derivedFrom: from))
                }
            }
            for character in Self.specialCharacters {
                probes.append(
                    Probe(origin: "\(s)://\(base.host)\(character).\(evil).com", code: .specialCharacters, derivedFrom: from))
            }
            if let domain = base.registrableDomain {
                probes.append(Probe(origin: "\(s)://\(evil).\(domain)", code: .anySubdomain, derivedFrom: from))
                if base.host != domain {
                    probes.append(Probe(origin: "\(s)://\(evil).\(base.host)", code: .anySubdomain, derivedFrom: from))
                }
            }
            // The same host on another port: a check that compares hosts and ignores the port
            // trusts every service on the machine (`localhost:*` from any local app).
            let otherPort = base.port.map { $0 == 65535 ? 65534 : $0 + 1 } ?? (s == "https" ? 8443 : 8080)
            probes.append(Probe(origin: "\(s)://\(Self.hostForURL(base.host)):\(otherPort)", code: .portReflection, derivedFrom: from))
            if s == "https" {
                let port = base.port.map { ":\($0)" } ?? ""
                probes.append(Probe(origin: "http://\(Self.hostForURL(base.host))\(port)", code: .httpOriginTrusted, derivedFrom: from))
            }
        }
        for platform in HostingPlatform.all {
            probes.append(Probe(origin: platform.probeOrigin(token: token), code: .hostingPlatformOrigin, derivedFrom: platform.domain))
        }
        let trustedOrigins = Set(trusted.map(\.origin))
        var seen: Set<String> = []
        return probes.filter { !trustedOrigins.contains($0.origin) && seen.insert($0.origin).inserted }
    }

    /// An IPv6 host in brackets, as in an origin; any other host as it is.
    static func hostForURL(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    /// `api.example.com` → `apixexample.com`: each dot left of the registrable domain's
    /// TLD replaced, so that an unescaped `.` in a regular expression is caught, keeping only
    /// spellings an attacker could register.
    static func unescapedDotVariants(host: String, domain: String) -> [String] {
        let labels = host.split(separator: ".").map(String.init)
        guard labels.count >= 2 else { return [] }
        var variants: [String] = []
        for index in 0..<(labels.count - 1) where labels.count - index > 1 {
            var joined = labels
            let merged = joined[index] + "x" + joined[index + 1]
            joined.replaceSubrange(index...(index + 1), with: [merged])
            let variant = joined.joined(separator: ".")
            // The TLD must stay what it was, and the result must be a different registrable domain.
            guard joined.count >= 2, let registrable = RegistrableDomain.of(variant), registrable != domain,
                variant.split(separator: ".").last.map(String.init) == labels.last
            else { continue }
            variants.append(variant)
        }
        return Array(variants.prefix(2))
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
