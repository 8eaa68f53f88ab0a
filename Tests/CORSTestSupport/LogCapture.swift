public import Logging
import Synchronization

/// A log handler that keeps every message, for asserting on what a middleware, the proxy or a
/// recorder logs.
public final class LogCapture: Sendable {
    public struct Entry: Sendable, Equatable, CustomStringConvertible {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]

        public var description: String { "\(level) \(message) \(metadata.sorted { $0.key < $1.key })" }
    }

    private let storage = Mutex<[Entry]>([])

    public init() {}

    /// Every entry so far, in order.
    public var entries: [Entry] { storage.withLock { $0 } }

    /// A logger at `level` writing here.
    public func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "cors-tests") { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            if let extra = event.metadata { all.merge(extra) { $1 } }
            capture.append(
                Entry(level: event.level, message: event.message.description, metadata: all.mapValues { "\($0)" }))
        }
    }
}
