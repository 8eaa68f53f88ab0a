import Synchronization
import Vapor

/// Checks once, on the first request, where a ``CORSPolicyMiddleware`` sits in the
/// application's middleware, and logs a warning when the place is wrong.
///
/// Vapor's trap: `app.middleware.use(m)` appends after the default `ErrorMiddleware`, so a CORS
/// middleware added that way never sees error responses; and middleware of a route group only
/// runs for routes that match, so preflights for the group's paths get 404.
final class PlacementCheck: Sendable {
    private let checked = Atomic<Bool>(false)

    /// What was found.
    enum Finding: Equatable {
        /// First, or at least before every `ErrorMiddleware`.
        case correct
        /// After an `ErrorMiddleware`, at these positions in `app.middleware`.
        case afterErrorMiddleware(index: Int, errorMiddlewareIndex: Int)
        /// Not in `app.middleware`: on a route group, or in a custom responder.
        case notGlobal
    }

    /// `true` exactly once: for the first request.
    func needsCheck() -> Bool {
        // A plain load first: after the first request this is all that runs.
        !checked.load(ordering: .relaxed)
            && checked.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
    }

    /// Where the middleware owning this check is in `chain` (the application's global
    /// middleware, in order).
    func finding(in chain: [any Middleware]) -> Finding {
        guard
            let index = chain.firstIndex(where: { ($0 as? CORSPolicyMiddleware)?.placement === self })
        else { return .notGlobal }
        if let errorIndex = chain.firstIndex(where: { $0 is ErrorMiddleware }), errorIndex < index {
            return .afterErrorMiddleware(index: index, errorMiddlewareIndex: errorIndex)
        }
        return .correct
    }

    /// Checks and logs a warning through the request's logger when the place is wrong.
    func check(_ request: Request) {
        switch finding(in: request.application.middleware.resolve()) {
        case .correct:
            break
        case .afterErrorMiddleware(let index, let errorIndex):
            request.logger.warning(
                "CORSPolicyMiddleware runs after ErrorMiddleware (middleware \(index) vs \(errorIndex)). It still adds CORS headers to error responses by rendering thrown errors itself, but an error middleware placed before it is bypassed for them. Fix: install it with app.middleware.use(corsPolicy:), which puts it first."
            )
        case .notGlobal:
            request.logger.warning(
                "CORSPolicyMiddleware is not in app.middleware (added to a route group?). Preflights for paths without an OPTIONS route never reach a group's middleware and get 404. Fix: install it with app.middleware.use(corsPolicy:)."
            )
        }
    }
}
