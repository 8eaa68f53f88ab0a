public import CORS
public import Logging
public import CoreMetrics
import Metrics

/// Logs and counts the guards' refusals the same way in every adapter.
///
/// - Every refusal is logged at `info` level with its reason, the origin, the method and the path.
/// - With metrics on, the counters `cors_csrf_refusals_total` (dimension `reason`:
///   `sec-fetch-site`, `origin-mismatch`) and `cors_websocket_refusals_total` (dimension
///   `reason`: `origin-not-trusted`, `origin-missing`, `multiple-origins`). The origin is not a
///   dimension here: refusals come from anyone, and a metric label must not be theirs to choose.
public struct CORSGuardRecorder: Sendable {
    private let csrfCounters: [String: Counter]?
    private let webSocketCounters: [String: Counter]?

    /// Creates a recorder; counters are created once, here.
    ///
    /// - Parameters:
    ///   - recordsMetrics: Record the counters.
    ///   - metricsFactory: The metrics backend; `nil` uses the one bootstrapped in `MetricsSystem`.
    public init(recordsMetrics: Bool = true, metricsFactory: (any MetricsFactory)? = nil) {
        guard recordsMetrics else {
            csrfCounters = nil
            webSocketCounters = nil
            return
        }
        let factory = metricsFactory ?? MetricsSystem.factory
        func counters(_ label: String, _ reasons: [String]) -> [String: Counter] {
            Dictionary(
                uniqueKeysWithValues: reasons.map {
                    ($0, Counter(label: label, dimensions: [("reason", $0)], factory: factory))
                })
        }
        csrfCounters = counters(
            "cors_csrf_refusals_total", CrossOriginVerdict.Refusal.Kind.allCases.map(\.rawValue))
        webSocketCounters = counters("cors_websocket_refusals_total", WebSocketOriginVerdict.Refusal.labels)
    }

    /// Records a refused cross-origin request.
    ///
    /// - Parameters:
    ///   - refusal: Why ``CrossOriginProtection`` refused it.
    ///   - method: The request's method.
    ///   - path: The request's path.
    ///   - logger: The request's logger.
    public func record(_ refusal: CrossOriginVerdict.Refusal, method: String, path: String, logger: Logger) {
        csrfCounters?[refusal.label]?.increment()
        logger.info(
            "Cross-origin \(method) request refused: \(refusal.message.dropLast())",
            metadata: [
                "cors.guard": "csrf",
                "cors.reason": "\(refusal.label)",
                "cors.origin": "\(refusal.origin ?? "none")",
                "cors.sec_fetch_site": "\(refusal.secFetchSite ?? "none")",
                "http.method": "\(method)",
                "http.path": "\(path)",
            ])
    }

    /// Records a refused WebSocket upgrade.
    ///
    /// - Parameters:
    ///   - refusal: Why ``WebSocketOriginGuard`` refused it.
    ///   - path: The request's path.
    ///   - logger: The request's logger.
    public func record(_ refusal: WebSocketOriginVerdict.Refusal, path: String, logger: Logger) {
        webSocketCounters?[refusal.label]?.increment()
        var origin = "none"
        if case .originNotTrusted(let value) = refusal { origin = value }
        logger.info(
            "WebSocket upgrade refused: \(refusal.message.dropLast())",
            metadata: [
                "cors.guard": "websocket",
                "cors.reason": "\(refusal.label)",
                "cors.origin": "\(origin)",
                "http.path": "\(path)",
            ])
    }
}
