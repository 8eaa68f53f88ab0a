public import CORS
public import Vapor

extension Middlewares {
    /// Installs a ``CORSPolicyMiddleware`` for `policy` at the beginning of the application's
    /// middleware — ahead of Vapor's `ErrorMiddleware` and of everything added before or after —
    /// so that every response, including 404s, `Abort`s and 500s, carries the CORS headers and
    /// every preflight is answered, whatever route groups exist.
    ///
    /// ```swift
    /// app.middleware.use(corsPolicy: try CORSPolicy(allowOrigins: ["https://app.example.com"]))
    /// ```
    ///
    /// Call it once. Middleware that must run before CORS (rare: it then answers without CORS
    /// headers) can still be added later with `use(_:at: .beginning)`.
    ///
    /// - Parameters:
    ///   - policy: The validated policy to apply.
    ///   - logsAllowedDecisions: Also log allowed CORS requests at debug level; denials always are.
    ///   - recordsMetrics: Record swift-metrics counters and a timer.
    ///   - errorMiddleware: How to turn errors into responses when one reaches the CORS layer;
    ///     `nil` answers as Vapor's `ErrorMiddleware.default(environment:)`.
    public mutating func use(
        corsPolicy policy: CORSPolicy, logsAllowedDecisions: Bool = false, recordsMetrics: Bool = true,
        errorMiddleware: (any Middleware)? = nil
    ) {
        use(
            cors: CORSPolicyMiddleware(
                policy: policy, logsAllowedDecisions: logsAllowedDecisions, recordsMetrics: recordsMetrics,
                errorMiddleware: errorMiddleware))
    }

    /// Installs `middleware` — for a `CORSPolicyTable` or a `CORSPolicyStore` —
    /// at the beginning of the application's middleware, ahead of Vapor's `ErrorMiddleware`.
    ///
    /// ```swift
    /// app.middleware.use(cors: CORSPolicyMiddleware(table: CORSPolicyTable(default: account, routes: ["/public": open])))
    /// ```
    public mutating func use(cors middleware: CORSPolicyMiddleware) {
        use(middleware, at: .beginning)
    }
}
