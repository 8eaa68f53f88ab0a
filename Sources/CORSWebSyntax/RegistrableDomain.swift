/// Registrable domains ("eTLD+1") from the Public Suffix List, for tools that reason about who
/// controls a host — `cors scan` derives its probes from them.
package enum RegistrableDomain {
    /// The registrable domain of a lowercase ASCII host: `api.example.co.uk` → `example.co.uk`.
    /// `nil` for IP addresses, for public suffixes themselves, and for single-label hosts.
    package static func of(_ host: String) -> String? {
        guard !HostSyntax.looksNumeric(host), !host.hasPrefix("["), !host.isEmpty else { return nil }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return nil }
        for index in 1..<labels.count {
            let candidate = labels[index...].joined(separator: ".")
            if PublicSuffixList.isPublicSuffix(candidate) {
                return labels[(index - 1)...].joined(separator: ".")
            }
        }
        return nil
    }

    /// Whether `host` is a public suffix (`com`, `co.uk`, `github.io`): anybody can register a
    /// name directly below it.
    package static func isPublicSuffix(_ host: String) -> Bool {
        PublicSuffixList.isPublicSuffix(host)
    }
}
