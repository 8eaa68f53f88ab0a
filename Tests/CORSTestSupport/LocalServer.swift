public import Hummingbird
public import Logging
import ServiceLifecycle

/// An application running inside the test process on 127.0.0.1, on a free port, until
/// ``stop()``.
public struct LocalServer: Sendable {
    /// What the server is, for messages.
    public let name: String
    /// The port it listens on.
    public let port: Int
    private let task: Task<Void, any Error>

    /// The server failed before it listened.
    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// A server whose `task` runs it and already listens on `port`.
    public init(name: String, port: Int, task: Task<Void, any Error>) {
        self.name = name
        self.port = port
        self.task = task
    }

    /// A logger that says nothing below critical.
    public static var quietLogger: Logger {
        var logger = Logger(label: "cors-tests")
        logger.logLevel = .critical
        return logger
    }

    /// Starts the application that `make` builds around the `onRunning` callback (which the
    /// application calls with its port once it listens), and waits until it listens.
    public static func start<App: ApplicationProtocol>(
        _ name: String, _ make: (_ onRunning: @escaping @Sendable (Int) async -> Void) -> App
    ) async throws -> LocalServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = make { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: quietLogger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await port in ports {
            return LocalServer(name: name, port: port, task: task)
        }
        throw StartFailure(description: "the \(name) stopped before listening: \(await task.result)")
    }

    /// Starts `router` as a plain Hummingbird application.
    public static func start<Context: RequestContext>(
        _ name: String = "test server", router: Router<Context>
    ) async throws -> LocalServer where Context.Source == ApplicationRequestContextSource {
        try await start(name) { onRunning in
            Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: quietLogger)
        }
    }

    /// Stops the server and waits until it has.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}
