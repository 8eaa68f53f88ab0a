/// A schemeful site (HTML): a scheme and a registrable domain, or the host itself where there
/// is none (IP addresses, `localhost`, single labels). Browsers decide `SameSite` cookies with
/// it; ports never matter.
package struct SchemefulSite: Hashable, Sendable {
    /// The scheme, lowercase.
    package let scheme: String
    /// The registrable domain, or the host where it has none.
    package let site: String

    /// The site of a URL or tuple origin with `scheme` and a lowercase ASCII `host`.
    package init(scheme: String, host: String) {
        self.scheme = scheme
        self.site = RegistrableDomain.of(host) ?? host
    }
}
