import HTTPTypes

// Field names this model needs that swift-http-types does not predefine. The literals are
// valid tokens, so the force-unwraps cannot fail.
extension HTTPField.Name {
    static var secFetchMode: Self { HTTPField.Name("Sec-Fetch-Mode")! }
    static var pragma: Self { HTTPField.Name("Pragma")! }
    static var setCookie2: Self { HTTPField.Name("Set-Cookie2")! }
    static var accessControlAllowPrivateNetwork: Self { HTTPField.Name("Access-Control-Allow-Private-Network")! }
}
