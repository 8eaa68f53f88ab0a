/// The Public Suffix List, used at policy construction to refuse origin patterns that
/// would trust a whole public suffix (`https://*.com`, `https://*.co.uk`, `https://*.github.io`).
///
/// Only the validator uses it, never the per-request path, so it is parsed lazily once.
package enum PublicSuffixList {
    private struct Rules: Sendable {
        var exact: Set<String> = []
        var wildcardParents: Set<String> = []
        var exceptions: Set<String> = []
    }

    private static let rules: Rules = {
        var rules = Rules()
        for line in rulesText.split(separator: "\n") {
            if line.hasPrefix("!") {
                rules.exceptions.insert(String(line.dropFirst()))
            } else if line.hasPrefix("*.") {
                rules.wildcardParents.insert(String(line.dropFirst(2)))
            } else {
                rules.exact.insert(String(line))
            }
        }
        return rules
    }()

    /// Whether `host` (lowercase, ASCII, no trailing dot) is itself a public suffix, so that
    /// anybody can register names directly below it.
    ///
    /// Follows the list's algorithm: an exception rule wins, then an exact rule, then a
    /// wildcard rule on the parent; a single unlisted label counts as a suffix (the "*" default
    /// rule), so an unknown TLD is treated as public.
    package static func isPublicSuffix(_ host: String) -> Bool {
        // Every name under localhost resolves to the loopback interface (RFC 6761), so
        // `http://*.localhost:*` trusts only this machine.
        if host == "localhost" { return false }
        if rules.exceptions.contains(host) { return false }
        if rules.exact.contains(host) { return true }
        guard let dot = host.firstIndex(of: ".") else { return true }
        let parent = String(host[host.index(after: dot)...])
        return rules.wildcardParents.contains(parent)
    }
}
