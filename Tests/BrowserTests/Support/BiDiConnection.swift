import Foundation
import NIOConcurrencyHelpers
import NIOCore
import WebSocketKit

/// A WebDriver BiDi error answer, or a broken connection.
struct BiDiError: Error, CustomStringConvertible {
    let description: String
}

/// One WebDriver BiDi websocket (Firefox's `ws://127.0.0.1:PORT/session`): commands with ids,
/// answers of type `success` or `error`, and events handed to one handler.
///
/// The handshake (``LoopbackWebSocket``) sends no `Origin` header: Firefox's remote agent
/// refuses handshakes that carry one from an origin it was not told to allow.
final class BiDiConnection: Sendable {
    typealias EventHandler = @Sendable (_ method: String, _ params: JSONValue) -> Void

    private struct State {
        var nextID = 1
        var pending: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
        var handler: EventHandler?
        var closedReason: String?
    }

    private let socket: WebSocket
    private let state: NIOLockedValueBox<State>

    private init(socket: WebSocket, state: NIOLockedValueBox<State>) {
        self.socket = socket
        self.state = state
    }

    /// Opens the websocket at `ws://127.0.0.1:PORT/session`.
    static func connect(port: Int) async throws -> BiDiConnection {
        let state = NIOLockedValueBox(State())
        do {
            let socket = try await LoopbackWebSocket.connect(port: port, path: "/session") { socket in
                socket.onText { _, text in BiDiConnection.receive(text, state: state) }
                socket.onClose.whenComplete { _ in BiDiConnection.fail(state: state, reason: "the BiDi websocket closed") }
            }
            return BiDiConnection(socket: socket, state: state)
        } catch {
            throw BiDiError(description: "cannot connect to WebDriver BiDi at ws://127.0.0.1:\(port)/session: \(error)")
        }
    }

    /// Sends `method` and returns its `result`, or throws the protocol's error.
    @discardableResult
    func send(_ method: String, _ params: JSONValue = [:], timeout: Duration = .seconds(30)) async throws -> JSONValue {
        let id = state.withLockedValue { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        let text = JSONValue.object(["id": .number(Double(id)), "method": .string(method), "params": params]).serialized
        let timeoutTask = Task { [state] in
            try await Task.sleep(for: timeout)
            let continuation = state.withLockedValue { $0.pending.removeValue(forKey: id) }
            continuation?.resume(throwing: BiDiError(description: "\(method) got no answer within \(timeout)"))
        }
        defer { timeoutTask.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let closed = state.withLockedValue { state -> String? in
                if let reason = state.closedReason { return reason }
                state.pending[id] = continuation
                return nil
            }
            if let closed {
                continuation.resume(throwing: BiDiError(description: "\(method): \(closed)"))
                return
            }
            socket.send(text)
        }
    }

    /// Hands every event to `handler` (replacing the previous one).
    func setEventHandler(_ handler: EventHandler?) {
        state.withLockedValue { $0.handler = handler }
    }

    func close() async {
        try? await socket.close().get()
    }

    private static func receive(_ text: String, state: NIOLockedValueBox<State>) {
        guard let message = try? JSONValue.parse(text) else { return }
        switch message["type"]?.string {
        case "success":
            guard let id = message["id"]?.int else { return }
            let continuation = state.withLockedValue { $0.pending.removeValue(forKey: id) }
            continuation?.resume(returning: message["result"] ?? [:])
        case "error":
            let description = "WebDriver BiDi error \(message["error"]?.string ?? "?"): \(message["message"]?.string ?? "")"
            guard let id = message["id"]?.int else { return }
            let continuation = state.withLockedValue { $0.pending.removeValue(forKey: id) }
            continuation?.resume(throwing: BiDiError(description: description))
        case "event":
            let handler = state.withLockedValue { $0.handler }
            handler?(message["method"]?.string ?? "", message["params"] ?? [:])
        default:
            break
        }
    }

    private static func fail(state: NIOLockedValueBox<State>, reason: String) {
        let pending = state.withLockedValue { state -> [CheckedContinuation<JSONValue, any Error>] in
            state.closedReason = reason
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for continuation in pending {
            continuation.resume(throwing: BiDiError(description: reason))
        }
    }
}
