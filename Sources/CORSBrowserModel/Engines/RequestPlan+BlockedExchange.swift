public import HTTPTypes

extension RequestPlan {
    /// The blocked exchange when `response` to ``preflightRequest`` fails, else `nil`.
    public func blockedExchange(preflightResponse response: HTTPResponse) -> BlockedExchange? {
        evaluatePreflight(response).failure.map {
            BlockedExchange(failure: $0, request: request, stage: .preflight, response: response)
        }
    }

    /// The blocked exchange when `response` to ``actualRequest`` (a redirect or the final
    /// response) fails a CORS rule, else `nil`.
    public func blockedExchange(actualResponse response: HTTPResponse) -> BlockedExchange? {
        switch followRedirect(response) {
        case .blocked(let failure, _):
            return BlockedExchange(failure: failure, request: request, stage: .redirect, response: response)
        case .notARedirect:
            return evaluateResponse(response).failure.map {
                BlockedExchange(failure: $0, request: request, stage: .response, response: response)
            }
        case .follow, .networkError:
            return nil
        }
    }
}
