import Synchronization

/// Runs a ``CORSOriginPredicate`` with its timeout and cache. Shared by every request of an
/// engine, hence the lock around the cache.
final class OriginPredicateEvaluator: Sendable {
    let predicate: CORSOriginPredicate
    private let entries: Mutex<[String: Entry]> = Mutex([:])

    private struct Entry {
        var isAllowed: Bool
        var expiry: ContinuousClock.Instant
    }

    init(_ predicate: CORSOriginPredicate) {
        self.predicate = predicate
    }

    /// How many answers are cached now (for tests of the bound).
    var cachedEntryCount: Int { entries.withLock { $0.count } }

    /// Whether `origin` is allowed; a failure (thrown error or timeout) denies.
    func evaluate(_ origin: String) async -> Result<Bool, CORSOriginPredicateFailure> {
        guard Self.isWellFormed(origin) else { return .success(false) }
        let now = ContinuousClock.now
        if let cached = entries.withLock({ $0[origin] }), cached.expiry > now {
            return .success(cached.isAllowed)
        }
        let result: Result<Bool, CORSOriginPredicateFailure>
        switch predicate.body {
        case .sync(let isAllowed):
            result = .success(isAllowed(origin))
        case .async(let isAllowed):
            result = await Self.run(isAllowed, origin: origin, timeout: predicate.timeout)
        }
        if case .success(let isAllowed) = result {
            remember(origin, isAllowed: isAllowed, now: ContinuousClock.now)
        }
        return result
    }

    private func remember(_ origin: String, isAllowed: Bool, now: ContinuousClock.Instant) {
        let cache = predicate.cache
        guard cache.maximumEntries > 0, cache.lifetime > .zero else { return }
        entries.withLock { entries in
            if entries.count >= cache.maximumEntries {
                entries = entries.filter { $0.value.expiry > now }
                while entries.count >= cache.maximumEntries, let victim = entries.keys.first {
                    entries.removeValue(forKey: victim)
                }
            }
            entries[origin] = Entry(isAllowed: isAllowed, expiry: now + cache.lifetime)
        }
    }

    private static func run(
        _ isAllowed: @escaping @Sendable (String) async throws -> Bool, origin: String, timeout: Duration
    ) async -> Result<Bool, CORSOriginPredicateFailure> {
        await withTaskGroup(of: Result<Bool, CORSOriginPredicateFailure>?.self) { group in
            group.addTask {
                do {
                    return .success(try await isAllowed(origin))
                } catch {
                    return .failure(CORSOriginPredicateFailure(description: "the origin predicate threw: \(error)"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled
                    ? nil : .failure(CORSOriginPredicateFailure(description: "the origin predicate timed out after \(timeout)"))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(CORSOriginPredicateFailure(description: "the origin predicate was cancelled"))
        }
    }

    /// Only serialized origins reach the predicate: no `null`, nothing oversized, nothing a
    /// browser would not send (uppercase, paths, default ports, …).
    static func isWellFormed(_ origin: String) -> Bool {
        guard origin.utf8.count <= OriginMatcher.maximumOriginLength, origin != "null",
            origin.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return false }
        let spelling = OriginSpelling(origin)
        return spelling.findings.isEmpty && spelling.canonical == origin
    }
}
