/// Spaces requests out to at most `rate` per second across all targets of a scan.
actor RequestThrottle {
    private let interval: Duration
    private var nextSlot: ContinuousClock.Instant

    /// - Parameter rate: requests per second; `nil` or 0 means unlimited.
    init(rate: Double?) {
        if let rate, rate > 0 {
            interval = .nanoseconds(Int64(1_000_000_000 / rate))
        } else {
            interval = .zero
        }
        nextSlot = ContinuousClock.now
    }

    /// Waits for the caller's turn.
    func acquire() async throws {
        guard interval > .zero else { return }
        let now = ContinuousClock.now
        let slot = max(now, nextSlot)
        nextSlot = slot + interval
        if slot > now { try await Task.sleep(until: slot, clock: .continuous) }
    }
}
