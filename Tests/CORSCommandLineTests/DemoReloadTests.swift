import AsyncHTTPClient
import Foundation
import Testing
import CORSTestSupport

/// `cors demo --policy FILE` reloads the file on SIGHUP: a valid policy takes effect, an invalid
/// one is refused whole and the old one stays.
@Suite("cors demo reloads its policy on SIGHUP", .serialized)
struct DemoReloadTests {
    static func freePort() throws -> Int {
        let socket = try CheckSilentSocket(listening: false)
        return socket.port
    }

    static func allowOrigin(port: Int, origin: String) async throws -> String? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/me")
        request.headers.add(name: "Origin", value: origin)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return response.headers.first(name: "Access-Control-Allow-Origin")
    }

    /// Polls until the demo answers (it has to bind first).
    static func waitUntilServing(port: Int) async throws {
        for _ in 0..<200 {
            let answer = try? await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/me"), timeout: .seconds(2))
            if answer != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("cors demo did not start serving on port \(port)")
    }

    @Test func hangupReloadsAValidPolicyAndRefusesAnInvalidOne() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"allowOrigins": ["https://a.example.com"], "allowCredentials": true}"#.write(to: file, atomically: true, encoding: .utf8)
        let (apiPort, pagePort) = (try Self.freePort(), try Self.freePort())
        let process = Process()
        process.executableURL = try CORSExecutable.url()
        process.arguments = ["demo", "--policy", file.path, "--port", "\(apiPort)", "--frontend-port", "\(pagePort)"]
        // A file, not a pipe: nothing reads while the demo runs, and a full pipe would block it.
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID()).out")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        try await Self.waitUntilServing(port: apiPort)
        #expect(try await Self.allowOrigin(port: apiPort, origin: "https://a.example.com") == "https://a.example.com")
        #expect(try await Self.allowOrigin(port: apiPort, origin: "https://b.example.com") == nil)

        try #"{"allowOrigins": ["https://b.example.com"], "allowCredentials": true}"#.write(to: file, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        var reloaded = false
        for _ in 0..<100 where !reloaded {
            try await Task.sleep(for: .milliseconds(50))
            reloaded = try await Self.allowOrigin(port: apiPort, origin: "https://b.example.com") == "https://b.example.com"
        }
        #expect(reloaded)
        #expect(try await Self.allowOrigin(port: apiPort, origin: "https://a.example.com") == nil)

        try #"{"allowOrigins": ["*"], "allowCredentials": true}"#.write(to: file, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .milliseconds(500))
        // Refused whole: the previous policy (b) is still in force.
        #expect(try await Self.allowOrigin(port: apiPort, origin: "https://b.example.com") == "https://b.example.com")
        #expect(try await Self.allowOrigin(port: apiPort, origin: "https://c.example.com") == nil)

        process.terminate()
        process.waitUntilExit()
        let printed = String(decoding: try Data(contentsOf: outputURL), as: UTF8.self)
        #expect(printed.contains("SIGHUP: reloaded \(file.path); the new policy is in force."))
        #expect(printed.contains("SIGHUP: reload refused, the previous policy stays in force:"))
        #expect(printed.contains("error[wildcard-with-credentials] allowOrigins[0]"))
    }

    @Test("--json: one start-up document on stdout (the effective policy, the URLs); reload results on stderr")
    func jsonStartupReport() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"allowOrigins": ["https://a.example.com"], "allowCredentials": true, "maxAge": 60}"#.write(
            to: file, atomically: true, encoding: .utf8)
        let (apiPort, pagePort) = (try Self.freePort(), try Self.freePort())
        let process = Process()
        process.executableURL = try CORSExecutable.url()
        process.arguments = ["demo", "--json", "--policy", file.path, "--port", "\(apiPort)", "--frontend-port", "\(pagePort)"]
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("demo-json-\(UUID()).out")
        let errorURL = FileManager.default.temporaryDirectory.appendingPathComponent("demo-json-\(UUID()).err")
        for url in [outputURL, errorURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        defer {
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorURL)
        }
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? error.close()
        }
        process.standardOutput = output
        process.standardError = error
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        try await Self.waitUntilServing(port: apiPort)
        try #"{"allowOrigins": ["*"], "allowCredentials": true}"#.write(to: file, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        var refused = false
        for _ in 0..<100 where !refused {
            try await Task.sleep(for: .milliseconds(50))
            refused = String(decoding: try Data(contentsOf: errorURL), as: UTF8.self).contains("SIGHUP: reload refused")
        }
        #expect(refused)
        process.terminate()
        process.waitUntilExit()

        let document = try checkParseJSON(String(decoding: try Data(contentsOf: outputURL), as: UTF8.self))
        #expect(document["framework"] as? String == "hummingbird")
        #expect(document["policy"] as? String == "\(file.path) (profile production)")
        #expect(document["valid"] as? Bool == true)
        #expect((document["findings"] as? [Any])?.isEmpty == true)
        #expect(document["api"] as? String == "http://127.0.0.1:\(apiPort)")
        #expect(document["frontend"] as? String == "http://localhost:\(pagePort)")
        #expect(document["routes"] as? [String] == ["GET /me", "PUT /me", "DELETE /me", "GET /boom", "GET /redirect", "POST /login", "GET /cookies", "POST /transfer", "GET /ws"])
        let policy = try #require(document["effectivePolicy"] as? [String: Any])
        #expect(policy["allowOrigins"] as? [String] == ["https://a.example.com"])
        #expect(policy["allowCredentials"] as? Bool == true)
        #expect(policy["maxAge"] as? Int == 60)
        #expect(policy["allowMethods"] as? [String] == [])  // none beyond the safelisted GET, HEAD, POST
        let errors = String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        #expect(errors.contains("error[wildcard-with-credentials] allowOrigins[0]"))
    }

    @Test("--json with an invalid policy: one document listing every problem with its fix, exit 1, nothing on stderr")
    func jsonInvalidPolicy() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("invalid-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"allowOrigins": ["*", "http://app.example.com/"], "allowCredentials": true}"#.write(
            to: file, atomically: true, encoding: .utf8)
        let run = try await CORSExecutable.run(["demo", "--json", "--policy", file.path, "--port", "\(try Self.freePort())"])
        #expect(run.status == 1)
        #expect(run.standardError.isEmpty, "\(run.standardError)")
        let document = try checkParseJSON(run.standardOutput)
        #expect(document["valid"] as? Bool == false)
        #expect(document["api"] == nil)
        let findings = try #require(document["findings"] as? [[String: Any]])
        #expect(findings.map { $0["code"] as? String } == ["wildcard-with-credentials", "wildcard-mixed-with-origins", "origin-trailing-slash"])
        #expect(findings.allSatisfy { ($0["fix"] as? String)?.isEmpty == false })
    }
}
