/// One `Origin` value to try, and the misconfiguration it reveals if the server trusts it.
struct Probe: Sendable, Hashable {
    var origin: String
    var code: ScanFindingCode
    /// What the probe was derived from, for the explanation: a host, a domain or a trusted origin.
    var derivedFrom: String
}

/// An origin the API really trusts (given with `--trusted-origin` or discovered), taken apart.
struct TrustedBase: Sendable, Hashable {
    var scheme: String
    var host: String
    var port: Int?
    var registrableDomain: String?
    var origin: String
}
