import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import WebSocketKit

/// A DevTools-protocol error answer, or a broken connection.
struct DevToolsError: Error, CustomStringConvertible {
    let description: String
}

/// One websocket to Chromium's browser endpoint, carrying commands for the browser and, with
/// flattened sessions, for every attached page.
///
/// The websocket client sends no `Origin` header, so Chromium accepts it without
/// `--remote-allow-origins`.
final class DevToolsConnection: Sendable {
    typealias EventHandler = @Sendable (_ method: String, _ params: JSONValue) -> Void

    private struct State {
        var nextID = 1
        var pending: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
        /// Event handlers by session id ("" for browser-level events).
        var handlers: [String: EventHandler] = [:]
        var closedReason: String?
    }

    private let socket: WebSocket
    private let state: NIOLockedValueBox<State>

    private init(socket: WebSocket, state: NIOLockedValueBox<State>) {
        self.socket = socket
        self.state = state
    }

    static func connect(to url: String) async throws -> DevToolsConnection {
        let state = NIOLockedValueBox(State())
        let socket: WebSocket = try await withCheckedThrowingContinuation { continuation in
            let future = WebSocket.connect(
                to: url,
                configuration: .init(maxFrameSize: 1 << 26),
                on: MultiThreadedEventLoopGroup.singleton
            ) { socket in
                socket.onText { _, text in DevToolsConnection.receive(text, state: state) }
                socket.onClose.whenComplete { _ in DevToolsConnection.fail(state: state, reason: "the DevTools websocket closed") }
                continuation.resume(returning: socket)
            }
            future.whenFailure { error in
                continuation.resume(throwing: DevToolsError(description: "cannot connect to DevTools at \(url): \(error)"))
            }
        }
        return DevToolsConnection(socket: socket, state: state)
    }

    /// Sends `method` and returns its `result`, or throws the protocol's error.
    @discardableResult
    func send(
        _ method: String, _ params: JSONValue = [:], sessionID: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> JSONValue {
        let id = state.withLockedValue { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        var message: [String: JSONValue] = ["id": .number(Double(id)), "method": .string(method), "params": params]
        if let sessionID { message["sessionId"] = .string(sessionID) }
        let text = JSONValue.object(message).serialized

        let timeoutTask = Task { [state] in
            try await Task.sleep(for: timeout)
            let continuation = state.withLockedValue { $0.pending.removeValue(forKey: id) }
            continuation?.resume(throwing: DevToolsError(description: "\(method) got no answer within \(timeout)"))
        }
        defer { timeoutTask.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let closed = state.withLockedValue { state -> String? in
                if let reason = state.closedReason { return reason }
                state.pending[id] = continuation
                return nil
            }
            if let closed {
                continuation.resume(throwing: DevToolsError(description: "\(method): \(closed)"))
                return
            }
            socket.send(text)
        }
    }

    /// Routes the events of `sessionID` ("" for the browser's own) to `handler`.
    func setEventHandler(sessionID: String, _ handler: EventHandler?) {
        state.withLockedValue { $0.handlers[sessionID] = handler }
    }

    func close() async {
        try? await socket.close().get()
    }

    private static func receive(_ text: String, state: NIOLockedValueBox<State>) {
        guard let message = try? JSONValue.parse(text) else { return }
        if let id = message["id"]?.int {
            let continuation = state.withLockedValue { $0.pending.removeValue(forKey: id) }
            if let error = message["error"] {
                let text = error["message"]?.string ?? error.serialized
                continuation?.resume(throwing: DevToolsError(description: "DevTools error: \(text)"))
            } else {
                continuation?.resume(returning: message["result"] ?? [:])
            }
        } else if let method = message["method"]?.string {
            let session = message["sessionId"]?.string ?? ""
            let handler = state.withLockedValue { $0.handlers[session] }
            handler?(method, message["params"] ?? [:])
        }
    }

    private static func fail(state: NIOLockedValueBox<State>, reason: String) {
        let pending = state.withLockedValue { state -> [CheckedContinuation<JSONValue, any Error>] in
            state.closedReason = reason
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for continuation in pending {
            continuation.resume(throwing: DevToolsError(description: reason))
        }
    }
}
