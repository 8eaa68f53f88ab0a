import CORSWebSyntax
/// One console line recognised as a message of an engine's catalogue.
public struct ConsoleMessageReading: Sendable, Hashable {
    /// The message.
    public let message: EngineMessage
    /// The values read from the line's placeholders.
    public let values: [ConsolePlaceholder: String]
    /// The line as given.
    public let line: String

    /// The engine.
    public var engine: BrowserEngine { message.engine }
}

/// Reads console text back into catalogue messages, by matching the same templates the engines'
/// profiles write with.
public enum ConsoleMessageReader {
    /// Every catalogue message of every engine.
    public static var allMessages: [EngineMessage] {
        BrowserEngine.allCases.flatMap { $0.profile.catalogue }
    }

    /// The message `line` is, if it is one: the template that explains most of the line wins.
    public static func read(line: String) -> ConsoleMessageReading? {
        var best: (reading: ConsoleMessageReading, score: Int)?
        for message in allMessages {
            for template in message.templates {
                guard let values = template.match(in: line) else { continue }
                let score = template.literalLength
                if best == nil || score > best!.score {
                    best = (ConsoleMessageReading(message: message, values: values, line: line), score)
                }
            }
        }
        return best?.reading
    }

    /// Every recognised line of `text` (a pasted console), in order. Lines that are no known
    /// message (stack frames, other logs) are skipped.
    public static func read(text: String) -> [ConsoleMessageReading] {
        text.split(whereSeparator: \.isNewline).compactMap { read(line: String($0)) }
    }

    /// The known message whose words overlap most with `text`, for "did you mean" hints.
    public static func closest(to text: String) -> EngineMessage? {
        let words = Set(wordsOf(text))
        guard !words.isEmpty else { return nil }
        var best: (message: EngineMessage, score: Double)?
        for message in allMessages where message.role != .followUp {
            let templateWords = Set(wordsOf(message.templates[0].text))
            let shared = Double(words.intersection(templateWords).count)
            let score = shared / Double(words.union(templateWords).count)
            if best == nil || score > best!.score { best = (message, score) }
        }
        return best?.message
    }

    private static func wordsOf(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar == "-" {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(ASCII.lowercased(current))
                current = ""
            }
        }
        if !current.isEmpty { words.append(ASCII.lowercased(current)) }
        return words.filter { $0.utf8.count > 2 }
    }
}
