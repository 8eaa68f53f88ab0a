// IP address literals in URL hosts, parsed and serialized the way the URL Standard (and so
// Chromium's GURL) does, so that `http://0x7f.1/` has the origin `http://127.0.0.1` and
// `http://[0:0::1]/` has the origin `http://[::1]`.

package enum IPAddressLiteral: Hashable, Sendable {
    case v4(UInt32)
    case v6([UInt16])

    // MARK: IPv4 (URL Standard "IPv4 parser" and "ends in a number checker")

    /// Whether the URL Standard treats `host` as an IPv4 address: its last dot-separated label
    /// is all digits or parses as a `0x` number. Such a host must then parse as IPv4 or the
    /// whole URL is invalid (`http://1.2.3.256/` fails, `http://example.1/` fails).
    package static func endsInANumber(_ host: [UInt8]) -> Bool {
        var labels = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.last?.isEmpty == true {
            if labels.count == 1 { return false }
            labels.removeLast()
        }
        guard let last = labels.last, !last.isEmpty else { return false }
        if last.allSatisfy(ASCII.isDigit) { return true }
        return ipv4Number(last) != nil
    }

    /// Parses an IPv4 host in any of the forms the URL Standard accepts (`127.1`, `0x7f.0.0.1`,
    /// `017700000001`). `nil` on failure.
    package static func parseIPv4(_ host: [UInt8]) -> UInt32? {
        var labels = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.last?.isEmpty == true, labels.count > 1 { labels.removeLast() }
        guard !labels.isEmpty, labels.count <= 4 else { return nil }
        var numbers: [UInt64] = []
        numbers.reserveCapacity(labels.count)
        for label in labels {
            guard !label.isEmpty, let number = ipv4Number(label) else { return nil }
            numbers.append(number)
        }
        // Every part but the last is one byte; the last fills the remaining bytes.
        for number in numbers.dropLast() where number > 255 { return nil }
        let remainingBytes = UInt64(5 - numbers.count)
        guard numbers.last! < (1 << (8 * remainingBytes)) else { return nil }
        var address = numbers.last!
        for (index, number) in numbers.dropLast().enumerated() {
            address += number << (8 * UInt64(3 - index))
        }
        return UInt32(truncatingIfNeeded: address)
    }

    /// One IPv4 part: decimal, `0x` hexadecimal or `0`-prefixed octal. Values above 2^32 fail
    /// early, so a label of a million digits costs one pass.
    private static func ipv4Number(_ label: ArraySlice<UInt8>) -> UInt64? {
        var digits = label
        var radix: UInt64 = 10
        if digits.count >= 2, digits.first == UInt8(ascii: "0"),
            ASCII.lowercased(digits[digits.startIndex + 1]) == UInt8(ascii: "x")
        {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.count >= 2, digits.first == UInt8(ascii: "0") {
            radix = 8
            digits = digits.dropFirst()
        }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < radix else { return nil }
            value = value * radix + digit
            guard value <= UInt64(UInt32.max) + 1 else { return nil }
        }
        return value
    }

    // MARK: IPv6 (URL Standard "IPv6 parser")

    /// Parses the text between `[` and `]`. `nil` on failure.
    package static func parseIPv6(_ input: [UInt8]) -> [UInt16]? {
        var address = [UInt16](repeating: 0, count: 8)
        var pieceIndex = 0
        var compress: Int?
        var pointer = 0
        func at(_ index: Int) -> UInt8? { index < input.count ? input[index] : nil }

        if at(0) == UInt8(ascii: ":") {
            guard at(1) == UInt8(ascii: ":") else { return nil }
            pointer = 2
            pieceIndex = 1
            compress = pieceIndex
        }
        while let byte = at(pointer) {
            guard pieceIndex < 8 else { return nil }
            if byte == UInt8(ascii: ":") {
                guard compress == nil else { return nil }
                pointer += 1
                pieceIndex += 1
                compress = pieceIndex
                continue
            }
            var value: UInt32 = 0
            var length = 0
            while length < 4, let hex = at(pointer), ASCII.isHexDigit(hex) {
                value = value * 16 + UInt32(hexValue(hex))
                pointer += 1
                length += 1
            }
            if at(pointer) == UInt8(ascii: ".") {
                // An embedded IPv4 address fills the last two pieces.
                guard length > 0, pieceIndex <= 6 else { return nil }
                pointer -= length
                var numbersSeen = 0
                while at(pointer) != nil {
                    var piece: UInt32?
                    if numbersSeen > 0 {
                        guard at(pointer) == UInt8(ascii: "."), numbersSeen < 4 else { return nil }
                        pointer += 1
                    }
                    guard let first = at(pointer), ASCII.isDigit(first) else { return nil }
                    while let digit = at(pointer), ASCII.isDigit(digit) {
                        let number = UInt32(digit - UInt8(ascii: "0"))
                        if let current = piece {
                            guard current != 0 else { return nil }
                            piece = current * 10 + number
                        } else {
                            piece = number
                        }
                        guard piece! <= 255 else { return nil }
                        pointer += 1
                    }
                    address[pieceIndex] = address[pieceIndex] &* 0x100 &+ UInt16(piece!)
                    numbersSeen += 1
                    if numbersSeen == 2 || numbersSeen == 4 { pieceIndex += 1 }
                }
                guard numbersSeen == 4 else { return nil }
                break
            } else if at(pointer) == UInt8(ascii: ":") {
                pointer += 1
                guard at(pointer) != nil else { return nil }
            } else if at(pointer) != nil {
                return nil
            }
            address[pieceIndex] = UInt16(value)
            pieceIndex += 1
        }
        if let compress {
            var swaps = pieceIndex - compress
            pieceIndex = 7
            while pieceIndex != 0, swaps > 0 {
                address.swapAt(pieceIndex, compress + swaps - 1)
                pieceIndex -= 1
                swaps -= 1
            }
        } else if pieceIndex != 8 {
            return nil
        }
        return address
    }

    private static func hexValue(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: byte - UInt8(ascii: "A") + 10
        }
    }

    // MARK: Serialization

    /// The host as the URL Standard serializes it: dotted decimal, or bracketed IPv6 with the
    /// first longest run of two or more zero pieces compressed to `::`.
    package var serialized: String {
        switch self {
        case .v4(let address):
            return (0..<4).map { String((address >> (8 * UInt32(3 - $0))) & 0xFF) }.joined(separator: ".")
        case .v6(let pieces):
            var bestStart = -1
            var bestLength = 1
            var index = 0
            while index < 8 {
                guard pieces[index] == 0 else {
                    index += 1
                    continue
                }
                let start = index
                while index < 8, pieces[index] == 0 { index += 1 }
                if index - start > bestLength {
                    bestStart = start
                    bestLength = index - start
                }
            }
            var output = "["
            var ignoring = false
            for position in 0..<8 {
                if ignoring, pieces[position] == 0 { continue }
                ignoring = false
                if position == bestStart {
                    output += position == 0 ? "::" : ":"
                    ignoring = true
                    continue
                }
                output += String(pieces[position], radix: 16)
                if position != 7 { output += ":" }
            }
            return output + "]"
        }
    }

    // MARK: Address spaces

    /// Loopback: 127.0.0.0/8 and ::1.
    package var isLoopback: Bool {
        switch self {
        case .v4(let address): address >> 24 == 127
        case .v6(let pieces): pieces == [0, 0, 0, 0, 0, 0, 0, 1]
        }
    }

    /// Private and link-local ranges Chromium's Local Network Access treats as "local":
    /// 10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7, fe80::/10.
    package var isPrivate: Bool {
        switch self {
        case .v4(let address):
            address >> 24 == 10 || address >> 20 == 0xAC1 || address >> 16 == 0xC0A8 || address >> 16 == 0xA9FE
        case .v6(let pieces):
            pieces[0] & 0xFE00 == 0xFC00 || pieces[0] & 0xFFC0 == 0xFE80
        }
    }
}
