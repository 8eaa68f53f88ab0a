#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops the process when an invariant does not hold, so that libFuzzer records the input as a
/// crash (deadly signal) and the message says which promise was broken.
public func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() {
        let text = "INVARIANT VIOLATED at \(file):\(line): \(message())\n"
        var bytes = Array(text.utf8)
        _ = write(2, &bytes, bytes.count)
        abort()
    }
}

/// A bounded, escaped rendering of bytes for invariant messages.
public func show(_ bytes: [UInt8]) -> String {
    var text = "\""
    for byte in bytes.prefix(300) {
        if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
            text.append(Character(Unicode.Scalar(byte)))
        } else {
            text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }
    }
    return text + (bytes.count > 300 ? "…(\(bytes.count) bytes)\"" : "\"")
}

public func show(_ string: String) -> String { show(Array(string.utf8)) }
