public import CORS
public import Logging
public import CoreMetrics
import Metrics

/// Logs and counts CORS decisions the same way in every adapter.
///
/// - Every denial is logged at debug level with its reason (origin, method or header, and the
///   rule); allowed decisions too when ``logsAllowedDecisions`` is set.
/// - With ``recordsMetrics``, swift-metrics counters `cors_requests_total` with dimensions
///   `kind` (`preflight`/`actual`), `decision` (`allowed`/`denied`) and `reason` (``CORSDenialReason/label``
///   or `none`), and a timer `cors_decision_duration` with `kind` and `decision`. Requests
///   without `Origin` are not counted. Whatever metrics backend the process bootstraps
///   (swift-prometheus, say) receives them.
public struct CORSDecisionRecorder: Sendable {
    /// Also log allowed decisions at debug level.
    public var logsAllowedDecisions: Bool
    /// Record swift-metrics counters and a timer.
    public var recordsMetrics: Bool
    private let instruments: Instruments?

    /// Creates a recorder; metric objects are created once, here.
    ///
    /// - Parameters:
    ///   - logsAllowedDecisions: Also log allowed decisions at debug level.
    ///   - recordsMetrics: Record counters and a timer.
    ///   - metricsFactory: The metrics backend; `nil` uses the one bootstrapped in `MetricsSystem`.
    public init(
        logsAllowedDecisions: Bool = false, recordsMetrics: Bool = true, metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.logsAllowedDecisions = logsAllowedDecisions
        self.recordsMetrics = recordsMetrics
        self.instruments = recordsMetrics ? Instruments(factory: metricsFactory ?? MetricsSystem.factory) : nil
    }

    /// Records one decision.
    ///
    /// - Parameters:
    ///   - decision: What the engine decided.
    ///   - duration: How long deciding took.
    ///   - method: The request's method, for the log line.
    ///   - path: The request's path, for the log line.
    ///   - logger: The request's logger.
    public func record(
        _ decision: CORSDecision, duration: Duration, method: String, path: @autoclosure () -> String,
        logger: Logger
    ) {
        guard decision.origin != nil || decision.denialReason != nil else { return }
        instruments?.record(decision, duration: duration)
        guard logger.logLevel <= .debug else { return }
        let kind = decision.isPreflight ? "preflight" : "actual"
        if let reason = decision.denialReason {
            logger.debug(
                "CORS \(kind) request denied: \(reason)",
                metadata: [
                    "cors.decision": "\(kind)-denied",
                    "cors.reason": "\(reason.label)",
                    "cors.origin": "\(decision.origin ?? "none")",
                    "http.method": "\(method)",
                    "http.path": "\(path())",
                ])
        } else if logsAllowedDecisions {
            logger.debug(
                "CORS \(kind) request allowed",
                metadata: [
                    "cors.decision": "\(kind)-allowed",
                    "cors.origin": "\(decision.origin ?? "none")",
                    "http.method": "\(method)",
                    "http.path": "\(path())",
                ])
        }
    }

    /// Every counter and timer, created up front so that recording allocates nothing.
    private struct Instruments: Sendable {
        static let kinds = ["preflight", "actual"]
        /// Index 0 is "allowed"; index `kind.rawValue + 1` is each ``CORSDenialReason/Kind``.
        static let reasons = ["none"] + CORSDenialReason.Kind.allCases.map(\.label)

        /// `counters[kind][reason]`
        let counters: [[Counter]]
        /// `timers[kind][allowed ? 0 : 1]`
        let timers: [[Metrics.Timer]]

        init(factory: any MetricsFactory) {
            counters = Self.kinds.map { kind in
                Self.reasons.map { reason in
                    Counter(
                        label: "cors_requests_total",
                        dimensions: [("kind", kind), ("decision", reason == "none" ? "allowed" : "denied"), ("reason", reason)],
                        factory: factory)
                }
            }
            timers = Self.kinds.map { kind in
                ["allowed", "denied"].map { decision in
                    Metrics.Timer(
                        label: "cors_decision_duration", dimensions: [("kind", kind), ("decision", decision)], factory: factory)
                }
            }
        }

        func record(_ decision: CORSDecision, duration: Duration) {
            let kind = decision.isPreflight ? 0 : 1
            let reason = decision.denialReason.map { $0.kind.rawValue + 1 } ?? 0
            counters[kind][reason].increment()
            let (seconds, attoseconds) = duration.components
            timers[kind][reason == 0 ? 0 : 1].recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
    }
}
