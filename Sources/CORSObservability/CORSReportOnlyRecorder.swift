public import CORS
public import HTTPTypes
public import Logging
public import CoreMetrics
import Metrics
import Synchronization

/// Logs and counts what a policy in report-only mode would change: shared by both adapters, and
/// the hook for any other front end (a proxy, say) that has the request, the answer it got and
/// the policy's decision.
///
/// - Counter `cors_report_only_differences_total` with dimensions `difference` (`would-deny`,
///   `would-allow`, `would-change-header`) and `origin`. At most ``originCardinalityCap``
///   distinct origins get their own series; later ones are counted as `other`, requests without
///   `Origin` as `none`, and values that are not a plausible serialized origin as `other`.
/// - Each difference is logged at `info` level with the origin, method, path and, for
///   `would-change-header`, the fields.
public struct CORSReportOnlyRecorder: Sendable {
    /// How many distinct origins get their own metric series.
    public let originCardinalityCap: Int
    private let instruments: Instruments?

    /// Creates a recorder.
    ///
    /// - Parameters:
    ///   - originCardinalityCap: How many distinct origins get their own series (default 100);
    ///     beyond it they are counted as `other`.
    ///   - recordsMetrics: Record the counter.
    ///   - metricsFactory: The metrics backend; `nil` uses the one bootstrapped in `MetricsSystem`.
    public init(originCardinalityCap: Int = 100, recordsMetrics: Bool = true, metricsFactory: (any MetricsFactory)? = nil) {
        self.originCardinalityCap = max(0, originCardinalityCap)
        self.instruments =
            recordsMetrics ? Instruments(factory: metricsFactory ?? MetricsSystem.factory, cap: self.originCardinalityCap) : nil
    }

    /// Compares `decision` with the answer the request got, and records the difference if any.
    ///
    /// - Parameters:
    ///   - decision: What the policy decides for the request.
    ///   - request: The request.
    ///   - status: The status of the answer it got.
    ///   - fields: The fields of the answer it got.
    ///   - path: The request's path, for the log line.
    ///   - logger: The request's logger.
    /// - Returns: The difference, or `nil` when the policy would answer alike.
    @discardableResult
    public func record(
        _ decision: CORSDecision, for request: HTTPRequest, observedStatus status: HTTPResponse.Status,
        observedFields fields: HTTPFields, path: String, logger: Logger
    ) -> CORSPolicyDifference? {
        guard let difference = decision.difference(for: request, observedStatus: status, observedFields: fields) else {
            return nil
        }
        instruments?.increment(difference.label, origin: decision.origin)
        var metadata: Logger.Metadata = [
            "cors.report_only": "\(difference.label)",
            "cors.origin": "\(decision.origin ?? "none")",
            "http.method": "\(request.method.rawValue)",
            "http.path": "\(path)",
        ]
        let what: String
        switch difference {
        case .wouldDeny: what = "would deny what the current answer allows"
        case .wouldAllow: what = "would allow what the current answer blocks"
        case .wouldChangeHeaders(let names):
            what = "would change \(names.joined(separator: ", "))"
            metadata["cors.fields"] = "\(names.joined(separator: ","))"
        }
        logger.info(
            "CORS report-only: the policy \(what) (\(request.method.rawValue) \(path) from \(decision.origin ?? "no origin"))",
            metadata: metadata)
        return difference
    }

    /// The `origin` dimension `origin` is counted under now; it also admits `origin` if there
    /// is room. For tests and for front ends that label their own metrics.
    public func originLabel(for origin: String?) -> String {
        instruments?.originLabel(origin) ?? "other"
    }

    private final class Instruments: Sendable {
        struct Key: Hashable {
            var difference: String
            var origin: String
        }

        let factory: any MetricsFactory
        let cap: Int
        let state = Mutex<(origins: Set<String>, counters: [Key: Counter])>(([], [:]))

        init(factory: any MetricsFactory, cap: Int) {
            self.factory = factory
            self.cap = cap
        }

        func originLabel(_ origin: String?) -> String {
            guard let origin else { return "none" }
            guard Self.isPlausibleOrigin(origin) else { return "other" }
            return state.withLock { state in
                if state.origins.contains(origin) { return origin }
                guard state.origins.count < cap else { return "other" }
                state.origins.insert(origin)
                return origin
            }
        }

        func increment(_ difference: String, origin: String?) {
            let key = Key(difference: difference, origin: originLabel(origin))
            let counter = state.withLock { state in
                if let counter = state.counters[key] { return counter }
                let counter = Counter(
                    label: "cors_report_only_differences_total",
                    dimensions: [("difference", key.difference), ("origin", key.origin)], factory: factory)
                state.counters[key] = counter
                return counter
            }
            counter.increment()
        }

        /// Short printable ASCII with a scheme: anything else is not the browser's `Origin`.
        static func isPlausibleOrigin(_ origin: String) -> Bool {
            let utf8 = origin.utf8
            guard utf8.count <= 320, utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
            return origin == "null" || origin.contains("://")
        }
    }
}
