/// The policy's exact origins, looked up byte for byte.
///
/// Most policies list a handful of origins: comparing the request's bytes with each one of the
/// same length costs less than hashing the request's `Origin`, so short lists are searched in
/// order and only longer ones go through a hash table. The position of the origin in the policy
/// indexes the response fields rendered for it in advance (``CompiledPolicy``).
struct ExactOrigins: Sendable {
    /// Lists up to this long are searched in order.
    static let linearSearchLimit = 8

    private let origins: [[UInt8]]
    private let positions: [String: Int]?

    /// `origins` must be free of duplicates; the position of each is its index.
    init(_ origins: [String]) {
        self.origins = origins.map { Array($0.utf8) }
        if origins.count > Self.linearSearchLimit {
            var positions: [String: Int] = [:]
            for (position, origin) in origins.enumerated() { positions[origin] = position }
            self.positions = positions
        } else {
            self.positions = nil
        }
    }

    /// How many origins there are.
    var count: Int { origins.count }

    /// The position of the origin whose bytes are exactly `bytes`, or `nil`.
    func position(of bytes: UnsafeBufferPointer<UInt8>, string: String) -> Int? {
        if let positions {
            // String hashing and equality follow Unicode canonical equivalence; the byte
            // comparison below keeps a canonically equal but different `Origin` from matching.
            guard let position = positions[string] else { return nil }
            return Self.equal(bytes, origins[position]) ? position : nil
        }
        for position in origins.indices where Self.equal(bytes, origins[position]) {
            return position
        }
        return nil
    }

    @inline(__always)
    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ origin: [UInt8]) -> Bool {
        guard bytes.count == origin.count else { return false }
        return origin.withUnsafeBufferPointer { expected in
            for index in 0..<expected.count where bytes[index] != expected[index] { return false }
            return true
        }
    }
}
