import Foundation

/// Writes diagnostics to the standard error stream, one line at a time.
enum StandardError {
    /// Writes `line`, ending it with a newline unless `newline` is false (for a progress bar
    /// redrawn in place with `\r`).
    static func write(_ line: String, newline: Bool = true) {
        var text = line
        if newline && !text.hasSuffix("\n") { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Writes to standard output immediately, even when it is a pipe (where `print` would buffer
/// until exit — and a server never exits on its own).
enum StandardOutput {
    static func write(_ line: String) {
        var text = line
        if !text.hasSuffix("\n") { text += "\n" }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
