import CORSTestSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

/// The one wall-clock bound these tests use: long enough for a loaded two-core CI machine, short
/// enough that a hang fails the test instead of blocking CI.
let hangLimit = CORSExecutable.hangLimit

struct HangError: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body` and returns its result, or throws ``HangError`` when it has not finished within
/// `limit`. The body runs in its own task, so a body that ignores cancellation cannot block the
/// caller: on a hang the task is cancelled and abandoned.
func withHangGuard<T: Sendable>(
    _ what: String, limit: Duration = hangLimit, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let state = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
    let work = NIOLockedValueBox<Task<Void, Never>?>(nil)
    let timer = NIOLockedValueBox<Task<Void, Never>?>(nil)
    @Sendable func finish(_ result: Result<T, any Error>) {
        let continuation = state.withLockedValue { continuation in
            defer { continuation = nil }
            return continuation
        }
        continuation?.resume(with: result)
    }
    return try await withCheckedThrowingContinuation { continuation in
        state.withLockedValue { $0 = continuation }
        work.withLockedValue {
            $0 = Task {
                do {
                    finish(.success(try await body()))
                } catch {
                    finish(.failure(error))
                }
                timer.withLockedValue { $0?.cancel() }
            }
        }
        timer.withLockedValue {
            $0 = Task {
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                work.withLockedValue { $0?.cancel() }
                finish(.failure(HangError(description: "\(what) did not finish within \(limit): it hangs")))
            }
        }
    }
}
