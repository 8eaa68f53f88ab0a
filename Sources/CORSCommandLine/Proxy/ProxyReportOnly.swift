import CORS
import CORSObservability
import HTTPTypes
import Logging

/// `--report-only`: the proxy forwards every request (preflights included) and returns the
/// upstream's answer unchanged, decides each request with the policy on the side, and records
/// every difference with the adapters' recorder (`cors_report_only_differences_total`, the same
/// log message and metadata).
struct ProxyReportOnly: Sendable {
    /// Compares and records; shared with the Hummingbird and Vapor report-only middlewares.
    let recorder: CORSReportOnlyRecorder
    /// Where the differences are logged (at `info`).
    let logger: Logger

    /// Records how the policy's answer to `request` would differ from the upstream's.
    @discardableResult
    func record(
        _ decision: CORSDecision, for request: HTTPRequest, upstreamStatus: HTTPResponse.Status, upstreamFields: HTTPFields,
        path: String
    ) -> CORSPolicyDifference? {
        recorder.record(
            decision, for: request, observedStatus: upstreamStatus, observedFields: upstreamFields, path: path, logger: logger)
    }

    /// The logger of the `cors` binary: swift-log's standard-error stream handler at `info`.
    static func standardErrorLogger() -> Logger {
        var logger = Logger(label: "cors.proxy.report-only") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .info
        return logger
    }
}
