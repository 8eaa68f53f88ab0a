/// Method classes of the Fetch standard.
enum FetchMethodRules {
    /// CORS-safelisted methods (Fetch: "GET, HEAD or POST"). A browser never preflights them
    /// for their own sake, and a preflight's method check always lets them through.
    @inline(__always)
    static func isSafelisted(_ method: some StringProtocol) -> Bool {
        method == "GET" || method == "HEAD" || method == "POST"
    }

    /// Forbidden methods (Fetch "forbidden method"): a page can never send them.
    static let forbidden: Set<String> = ["CONNECT", "TRACE", "TRACK"]

    /// The methods that browsers uppercase before sending (Fetch "normalize a method"); any
    /// other method is sent byte for byte as the script wrote it.
    static let normalized: Set<String> = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]
}
