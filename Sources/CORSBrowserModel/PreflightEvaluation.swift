/// The browser's verdict on a preflight response.
public struct PreflightEvaluation: Sendable {
    /// The grant when the preflight passed, the failure otherwise.
    public let result: Result<PreflightGrant, CORSFailure>
    /// Chromium-only allowances, ignored wildcards and cache-lifetime adjustments.
    public let warnings: [BrowserWarning]
    /// Chromium's console line when the preflight failed.
    public let consoleMessage: String?

    /// Creates an evaluation.
    public init(result: Result<PreflightGrant, CORSFailure>, warnings: [BrowserWarning], consoleMessage: String?) {
        self.result = result
        self.warnings = warnings
        self.consoleMessage = consoleMessage
    }

    /// Whether the actual request may be sent.
    public var isAllowed: Bool {
        grant != nil
    }

    /// The grant, when the preflight passed.
    public var grant: PreflightGrant? {
        try? result.get()
    }

    /// The failure, when the preflight failed.
    public var failure: CORSFailure? {
        guard case .failure(let failure) = result else { return nil }
        return failure
    }
}
