/// Reads structured values from a fuzzer's byte string, like LLVM's `FuzzedDataProvider`:
/// never fails, returns zeros and empty values once the bytes run out, so every input is usable.
public struct FuzzInput {
    public let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ data: UnsafePointer<UInt8>?, _ count: Int) {
        if let data, count > 0 {
            bytes = Array(UnsafeBufferPointer(start: data, count: count))
        } else {
            bytes = []
        }
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var isAtEnd: Bool { offset >= bytes.count }

    /// The next byte, or 0.
    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// The lowest bit of the next byte.
    public mutating func bool() -> Bool {
        byte() & 1 == 1
    }

    /// One of `choices`, chosen by the next byte.
    public mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(byte()) % choices.count]
    }

    /// The bytes up to (not including) the next `separator`, or to the end.
    public mutating func segment(separator: UInt8 = 0x0A) -> [UInt8] {
        guard offset < bytes.count else { return [] }
        let end = bytes[offset...].firstIndex(of: separator) ?? bytes.endIndex
        defer { offset = min(end + 1, bytes.count) }
        return Array(bytes[offset..<end])
    }

    /// Every remaining byte.
    public mutating func rest() -> [UInt8] {
        guard offset < bytes.count else { return [] }
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }

    /// The remaining bytes split on `separator` (empty pieces kept).
    public mutating func segments(separator: UInt8 = 0x0A) -> [[UInt8]] {
        rest().split(separator: separator, omittingEmptySubsequences: false).map(Array.init)
    }
}

extension String {
    /// The bytes decoded as UTF-8, invalid sequences replaced (what a framework hands over).
    public init(lossy bytes: [UInt8]) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}
