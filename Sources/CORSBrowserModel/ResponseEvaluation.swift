/// The browser's verdict on a response to the actual request.
public struct ResponseEvaluation: Sendable {
    /// What the script can read, or why the response is blocked.
    public let result: Result<ReadableResponse, CORSFailure>
    /// Hidden headers, ignored wildcards and unparsable lists.
    public let warnings: [BrowserWarning]
    /// Chromium's console line when the response is blocked.
    public let consoleMessage: String?

    /// Creates an evaluation.
    public init(result: Result<ReadableResponse, CORSFailure>, warnings: [BrowserWarning], consoleMessage: String?) {
        self.result = result
        self.warnings = warnings
        self.consoleMessage = consoleMessage
    }

    /// Whether the script gets the response.
    public var isAllowed: Bool {
        readable != nil
    }

    /// What the script can read, when allowed.
    public var readable: ReadableResponse? {
        try? result.get()
    }

    /// The failure, when blocked.
    public var failure: CORSFailure? {
        guard case .failure(let failure) = result else { return nil }
        return failure
    }
}
