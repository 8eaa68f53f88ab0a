public import HTTPTypes

extension HTTPField.Name {
    /// `Access-Control-Request-Private-Network`, sent by Chromium on a Private Network Access
    /// preflight (a legacy, warning-only mechanism: see the policy's `allowPrivateNetwork` setting).
    public static var accessControlRequestPrivateNetwork: Self { PrivateNetworkAccessNames.request }

    /// `Access-Control-Allow-Private-Network`, the answer to a Private Network Access preflight.
    public static var accessControlAllowPrivateNetwork: Self { PrivateNetworkAccessNames.allow }
}

/// Parsed once: `HTTPField.Name(_:)` lowercases its argument into a new string, and these names
/// are compared against every field of every request and response.
private enum PrivateNetworkAccessNames {
    static let request = HTTPField.Name("Access-Control-Request-Private-Network")!
    static let allow = HTTPField.Name("Access-Control-Allow-Private-Network")!
}
