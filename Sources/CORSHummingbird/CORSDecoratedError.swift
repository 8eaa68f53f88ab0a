import CORS
public import Hummingbird

/// An error thrown below ``CORSPolicyMiddleware`` that is not an `HTTPError`, carrying the CORS
/// fields its response needs so that the page sees the real status (a 500, a 401) instead of a
/// CORS error.
///
/// Outer middleware can reach the original error through ``underlying``. Errors that conform
/// to `HTTPResponseError` keep their status and body; any other error becomes a 500, as
/// Hummingbird itself would answer.
public struct CORSDecoratedError: HTTPResponseError {
    /// The error the application threw.
    public let underlying: any Error
    let decision: CORSDecision

    /// The underlying error's status, or 500.
    public var status: HTTPResponse.Status {
        (underlying as? any HTTPResponseError)?.status ?? .internalServerError
    }

    /// The underlying error's response (or an empty 500) with the CORS fields added.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response: Response
        if let responseError = underlying as? any HTTPResponseError {
            response = try responseError.response(from: request, context: context)
        } else {
            // Hummingbird logs unrecognised errors at debug level before answering 500; keep that.
            context.logger.debug("Unrecognised Error", metadata: ["error.type": "\(underlying)"])
            response = Response(status: .internalServerError)
        }
        decision.apply(to: &response.headers)
        return response
    }
}
