import HTTPTypes

/// An exchanger that can send a request body: `cors scan`'s malformed-body probe (`{` as JSON)
/// needs one to make a framework answer 400 or 422.
protocol HTTPBodySending: HTTPExchanger {
    /// Sends `request` with `body`, its `Content-Length` added.
    func send(_ request: HTTPRequest, body: [UInt8]) async throws(HTTPExchangeError) -> HTTPExchangeResponse
}

extension LiveHTTPClient: HTTPBodySending {}
