import ArgumentParser
import CORSBrowserModel
import Foundation

/// `cors explain [FILE.har] [--message TEXT] [--json]`: explains, offline, what users already
/// have — a console line or a whole pasted console from Chrome, Firefox or Safari (from
/// `--message` or standard input), or a HAR file exported from DevTools.
///
/// Exit status: 0 nothing in the input was blocked, 1 something was, 2 unreadable input (one
/// line on stderr: not a HAR, truncated JSON, a file above 64 MiB, no known message).
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a CORS console message (any browser) or a HAR file, offline.",
        discussion: """
            Reads a console line or a pasted console from --message or standard input, or a HAR \
            1.2 file exported from Chrome, Firefox or Safari DevTools. Names the engine, URL, origin \
            and reason, lists every cause the text cannot tell apart with the probe that decides, \
            gives the fix and the `cors check` command that reproduces the request. HAR files are \
            read up to 64 MiB.

            Exit status: 0 nothing blocked, 1 something blocked, 2 unreadable input.
            """
    )

    /// Console text read from standard input is limited to this many bytes.
    static let maximumMessageBytes = 1 << 20

    @Argument(help: "A HAR file exported from DevTools (at most 64 MiB).")
    var file: String?

    @Option(help: "The console text to explain (one line or a whole pasted console).")
    var message: String?

    @Flag(help: "Print one JSON document.")
    var json = false

    func run() throws {
        let report = try explain(standardInput: { () throws(ToolFailure) -> String in try Self.readStandardInput() })
        StandardOutput.write(json ? report.json() : report.text())
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// The report, without printing: what ``run()`` does, for tests.
    func explain(standardInput: () throws(ToolFailure) -> String) throws(ToolFailure) -> ExplainReport {
        if let file {
            guard message == nil else { throw ToolFailure("give either a HAR file or --message, not both") }
            let har = try HARFile.read(path: file)
            let (findings, summary, unknowns) = HARExplainer(har: har).explain()
            return ExplainReport(input: "har", file: file, findings: findings, harSummary: summary, unknowns: unknowns)
        }
        let text: String
        if let message { text = message } else { text = try standardInput() }
        guard text.utf8.count <= Self.maximumMessageBytes else {
            throw ToolFailure("the console text is \(text.utf8.count) bytes, above the 1 MiB limit: paste only the CORS lines")
        }
        let findings = try ConsoleExplainer.explain(text)
        var unknowns: [String] = []
        for finding in findings {
            for unknown in finding.unknowns where !unknowns.contains(unknown) { unknowns.append(unknown) }
        }
        return ExplainReport(input: "console", findings: findings, unknowns: [])
    }

    static func readStandardInput() throws(ToolFailure) -> String {
        let data = FileHandle.standardInput.readData(ofLength: maximumMessageBytes + 1)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ToolFailure("the console text on standard input is not UTF-8")
        }
        return text
    }
}
