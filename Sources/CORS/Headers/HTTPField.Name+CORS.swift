public import HTTPTypes

extension HTTPField.Name {
    /// `Access-Control-Request-Private-Network`, sent by Chromium on a Private Network Access
    /// preflight (a legacy, warning-only mechanism: see ``CORSPolicy/allowPrivateNetwork``).
    public static var accessControlRequestPrivateNetwork: Self {
        Self("Access-Control-Request-Private-Network")!
    }

    /// `Access-Control-Allow-Private-Network`, the answer to a Private Network Access preflight.
    public static var accessControlAllowPrivateNetwork: Self {
        Self("Access-Control-Allow-Private-Network")!
    }
}
