import Foundation

/// WebKit's console, which WebDriver does not expose: a plain MiniBrowser (not in automation
/// mode) with `--enable-write-console-messages-to-stdout=true` writes every console message to
/// its standard error as `[URL:LINE:COLUMN: ]CONSOLE SOURCE LEVEL TEXT`. Each page is loaded
/// in a MiniBrowser of its own (fresh memory caches, ~1 s), which is stopped once the page has
/// logged its result.
struct MiniBrowserConsole: Sendable {
    /// The prefix of the line a zoo page logs with its result (``EngineZooPages``).
    static let resultMarker = "cors-engine-result "

    let display: XvfbDisplay
    /// HOME and XDG directories of the runs: a fresh profile for each suite.
    let home: URL

    init(display: XvfbDisplay) throws {
        self.display = display
        home = FileManager.default.temporaryDirectory
            .appendingPathComponent("cors-minibrowser-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    /// Loads `url`, a page that logs ``resultMarker`` followed by ``FetchRequest/script``'s
    /// result as JSON, and returns that result with the console errors WebKit wrote.
    func run(_ url: String, timeout: Duration = .seconds(20)) async throws -> EngineOutcome {
        let executable = try EngineBinaries.require(EngineBinaries.miniBrowser, "MiniBrowser", package: "libwebkit2gtk-4.1-0")
        let logURL = home.appendingPathComponent("minibrowser-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: logURL) }
        let process = try ProcessGroup.launch(
            "MiniBrowser", executable: executable,
            arguments: ["--enable-write-console-messages-to-stdout=true", url],
            environment: [
                "DISPLAY": display.display, "HOME": home.path, "XDG_RUNTIME_DIR": home.path,
                "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
                "XDG_DATA_HOME": home.appendingPathComponent("data").path,
                "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            ],
            logURL: logURL)
        // A throwaway profile needs no clean exit, and MiniBrowser outlived a 2 s SIGTERM grace here.
        defer { process.stop(grace: 0) }
        var resultLine: String?
        try await waitFor("MiniBrowser's result line for \(url)", timeout: timeout) {
            if !process.isRunning {
                throw BrowserStartError(
                    description: "MiniBrowser exited with status \(process.terminationStatus):\n\(process.outputTail)")
            }
            resultLine = process.output.split(separator: "\n").first { $0.contains(Self.resultMarker) }.map(String.init)
            return resultLine != nil
        }
        // Messages the network process reports late (after the script's promise settled).
        try await Task.sleep(for: .milliseconds(250))
        let output = process.output
        let json = resultLine!.components(separatedBy: Self.resultMarker).last ?? ""
        let result = try EngineOutcome.pageResult(json)
        let console = output.split(separator: "\n").compactMap { Self.parse(String($0)) }
            .filter { $0.level == "ERROR" && !$0.text.contains(Self.resultMarker) }.map(\.text)
        return EngineOutcome(status: result.status, scriptError: result.error, console: console)
    }

    /// `[URL:LINE:COLUMN: ]CONSOLE SOURCE LEVEL TEXT` → level and text. The source is one or
    /// more upper-case words (`SECURITY`, `JS`, `ITP DEBUG`), or absent for `console.log`.
    static func parse(_ line: String) -> (level: String, text: String)? {
        guard let range = line.range(of: "CONSOLE ") else { return nil }
        let levels: Set = ["ERROR", "WARN", "WARNING", "LOG", "INFO", "DEBUG"]
        var rest = line[range.upperBound...]
        while let space = rest.firstIndex(of: " ") {
            let word = rest[..<space]
            if levels.contains(String(word)) {
                return (String(word), String(rest[rest.index(after: space)...]))
            }
            guard word.allSatisfy({ $0.isUppercase || $0 == "_" }) else { return nil }
            rest = rest[rest.index(after: space)...]
        }
        return nil
    }

    func remove() {
        try? FileManager.default.removeItem(at: home)
    }
}
