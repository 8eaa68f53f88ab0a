/// Shared hosting and sandbox sites where anybody can publish a page under the platform's
/// domain: an API that trusts them by pattern or suffix trusts every tenant.
///
/// Kept as data, each entry with where it comes from, so that the list can be reviewed and
/// extended without touching the scanner.
struct HostingPlatform: Sendable, Hashable {
    /// The platform, as people call it.
    var name: String
    /// The domain tenants publish under (`github.io`), or the exact host of a sandbox site.
    var domain: String
    /// Whether tenants get their own subdomain (`<name>.github.io`); otherwise the site itself is
    /// the shared origin (`codepen.io`).
    var perTenantSubdomain: Bool
    /// The scheme the platform serves.
    var scheme: String = "https"
    /// Where the entry comes from.
    var source: String

    /// The probe origin for this platform: a tenant named after the scan's token.
    func probeOrigin(token: String) -> String {
        perTenantSubdomain ? "\(scheme)://\(token).\(domain)" : "\(scheme)://\(domain)"
    }

    static let publicSuffixList = "Public Suffix List, PRIVATE section (publicsuffix.org)"
    static let corScanner = "CORScanner origins.json (chenjj/CORScanner)"

    /// The platforms probed, most common in real allow-lists first.
    static let all: [HostingPlatform] = [
        HostingPlatform(name: "GitHub Pages", domain: "github.io", perTenantSubdomain: true, source: publicSuffixList + "; " + corScanner),
        HostingPlatform(name: "Vercel", domain: "vercel.app", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Netlify", domain: "netlify.app", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Heroku", domain: "herokuapp.com", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Cloudflare Workers", domain: "workers.dev", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Cloudflare Pages", domain: "pages.dev", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(
            name: "ngrok", domain: "ngrok-free.app", perTenantSubdomain: true,
            source: "ngrok documentation: free-plan endpoints are <random>.ngrok-free.app (ngrok.com/docs)"),
        HostingPlatform(name: "Amazon S3", domain: "s3.amazonaws.com", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Amazon CloudFront", domain: "cloudfront.net", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Firebase Hosting", domain: "web.app", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Firebase Hosting (legacy)", domain: "firebaseapp.com", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Azure App Service", domain: "azurewebsites.net", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Render", domain: "onrender.com", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Fly.io", domain: "fly.dev", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "GitLab Pages", domain: "gitlab.io", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "Glitch", domain: "glitch.me", perTenantSubdomain: true, source: publicSuffixList),
        HostingPlatform(name: "CodePen", domain: "codepen.io", perTenantSubdomain: false, source: corScanner),
        HostingPlatform(name: "JSFiddle", domain: "jsfiddle.net", perTenantSubdomain: false, source: corScanner),
        HostingPlatform(name: "JS Bin", domain: "jsbin.com", perTenantSubdomain: false, scheme: "http", source: corScanner),
        HostingPlatform(name: "Replit", domain: "repl.it", perTenantSubdomain: false, source: corScanner),
    ]

    /// The platform whose tenants `host` belongs to, if any.
    static func platform(ofHost host: String) -> HostingPlatform? {
        all.first { $0.perTenantSubdomain ? host.hasSuffix("." + $0.domain) : host == $0.domain }
    }
}
