import ArgumentParser
import Testing

@testable import CORSCommandLine

/// Every `--help` reads cleanly at 80 columns: no line is wider, and no discussion carries hard
/// line breaks inside a paragraph, which ArgumentParser would wrap a second time into ragged
/// lines.
@Suite("--help at 80 columns")
struct HelpTextTests {
    static let commands: [any ParsableCommand.Type] = [CORSTool.self] + CORSTool.configuration.subcommands

    @Test("no help line is wider than 80 columns", arguments: commands.map { String(describing: $0) })
    func width(_ name: String) throws {
        let command = try #require(Self.commands.first { String(describing: $0) == name })
        let help = CORSTool.helpMessage(for: command, columns: 80)
        let wide = help.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.count > 80 }
        #expect(wide.isEmpty, "\(name): \(wide)")
    }

    @Test("discussions are paragraphs: a line break only between paragraphs or before a list item", arguments: commands.map { String(describing: $0) })
    func paragraphs(_ name: String) throws {
        let command = try #require(Self.commands.first { String(describing: $0) == name })
        let lines = command.configuration.discussion.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated().dropFirst() {
            let previous = lines[index - 1]
            let breaksParagraph = line.isEmpty || previous.isEmpty
            let startsItem = line.hasPrefix("  ") || line.hasPrefix("- ") || line.hasPrefix("• ")
                || line.first.map { $0.isNumber } == true
            #expect(breaksParagraph || startsItem, "\(name): hard break before \"\(line)\"")
        }
    }
}
