import CORSBrowserModel
import Foundation
import Testing

/// The causes `cors explain` lists for a console line, against the recorded consoles
/// (`Tests/EngineFixtures/engine-console.json`): a message may list a cause only if the engine
/// really prints that message for it. For every catalogue message and every cause it lists, the
/// zoo cases that fail with that cause in the model must include one whose recorded line (the
/// engine's first blocked line) is that message; causes no zoo case produces are not judged, nor
/// WebKit's redirect line, which quotes another.
@Suite(
    "Engine catalogues: every listed cause produces the message",
    .enabled(
        if: FileManager.default.fileExists(atPath: EngineFixtures.console.url.path),
        "Tests/EngineFixtures/engine-console.json is not recorded yet"))
struct EngineCauseFixtureTests {
    /// Per engine: cause → the message ids the recorded lines of that cause's cases read as.
    static func measuredMessages(_ engine: BrowserEngine) throws -> [CORSFailure.Reason: Set<String>] {
        var measured: [CORSFailure.Reason: Set<String>] = [:]
        let recorded = EngineCatalogueFixtureTests.recorded
        for matrixCase in MatrixCase.all {
            guard let record = recorded[matrixCase.id]?[engine.rawValue], !record.console.isEmpty,
                let failure = try EngineCatalogueFixtureTests.run(matrixCase, engine: engine).failure
            else { continue }
            let text = record.console.map { EngineCatalogueFixtureTests.filled($0) }.joined(separator: "\n")
            guard let first = ConsoleMessageReader.read(text: text).first(where: { $0.message.role == .blocked }) else { continue }
            measured[failure.reason, default: []].insert(first.message.id)
        }
        return measured
    }

    @Test("no message lists a cause that the engine reports in other words", arguments: BrowserEngine.allCases)
    func causesProduceTheirMessage(_ engine: BrowserEngine) throws {
        let measured = try Self.measuredMessages(engine)
        // WebKit's "Cross-origin redirection to … denied …: LINE" quotes the line of the check
        // the redirect failed; `cors explain` takes the causes from the quoted line.
        for message in engine.profile.catalogue where message.role == .blocked && message.id != "redirectDenied" {
            for cause in message.causes {
                guard let seen = measured[cause] else { continue }
                #expect(
                    seen.contains(message.id),
                    "\(engine) '\(message.id)' lists \(cause.rawValue), but the engine printed \(seen.sorted()) for it")
            }
        }
    }

    @Test("WebKit's 'not allowed by Access-Control-Allow-Origin' line: exactly the measured causes, and the unmeasured preflight twin")
    func webKitOriginNotAllowed() throws {
        let measured = try Self.measuredMessages(.webkit)
        let producing = Set(measured.filter { $0.value.contains("originNotAllowed") }.keys)
        #expect(
            producing == [
                .missingAllowOriginHeader, .allowOriginMismatch, .invalidAllowOriginValue, .preflightMissingAllowOriginHeader,
                .preflightAllowOriginMismatch,
            ])
        let listed = Set(WebKitProfile().message("originNotAllowed").causes)
        #expect(listed == producing.union([.preflightInvalidAllowOriginValue]))
        #expect(!listed.contains(.multipleAllowOriginValues))
        #expect(measured[.multipleAllowOriginValues] == ["multipleOrigins"])
    }
}
