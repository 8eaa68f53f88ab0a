import CORS
@testable import CORSConfiguration
import Configuration
import Foundation
import Testing

@testable import CORSCommandLine

/// `CORSPolicySettings.keys` is the one list of the policy's keys. Each test walks it and
/// proves that a layer knows every key, so that a new key is a one-place change: the file
/// reader, environment overrides, `cors lint`, the policy's JSON form and the demo's
/// effective-policy document. (The fuzzers' `PolicyBuilder` holds a `CORSPolicySettings`, so it
/// knows every key by construction.)
@Suite("Every layer knows every policy key")
struct PolicyKeyCoverageTests {
    /// A value of `key`'s kind that differs from its default, as JSON text, as an environment
    /// variable's text, and as the value the settings must then hold.
    static func sample(for key: CORSPolicyKey) -> (json: String, environment: String, value: CORSPolicyValue) {
        switch key.kind {
        case .list: (#"["https://sample.example"]"#, "https://sample.example", .list(["https://sample.example"]))
        case .flag: ("true", "true", .flag(true))
        case .integer, .optionalInteger: ("200", "200", .integer(200))
        }
    }

    @Test("every stored setting has exactly one key")
    func everyPropertyHasAKey() {
        let properties = Mirror(reflecting: CORSPolicySettings()).children.compactMap(\.label)
        #expect(properties == CORSPolicySettings.keys.map(\.stringValue))
        #expect(Set(CORSPolicySettings.keys).count == CORSPolicySettings.keys.count)
    }

    @Test("every sample differs from the key's default")
    func samplesAreNotDefaults() {
        for key in CORSPolicySettings.keys {
            #expect(Self.sample(for: key).value != key.defaultValue, "\(key)")
        }
    }

    @Test("the policy-file reader reads every key")
    func fileReader() throws {
        for key in CORSPolicySettings.keys {
            let sample = Self.sample(for: key)
            let file = try CORSPolicyFile(json: #"{"\#(key.stringValue)": \#(sample.json)}"#, name: "policy.json")
            let profile = try file.profile()
            #expect(profile.settings[key] == sample.value, "\(key)")
            #expect(!profile.findings.contains { $0.code.rawValue == "unknown-key" }, "\(key)")
        }
    }

    @Test("an environment variable overrides every key")
    func environmentOverrides() {
        for key in CORSPolicySettings.keys {
            let sample = Self.sample(for: key)
            let variable = CORSPolicyProfile.environmentVariableName("cors." + key.stringValue)
            let config = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: [variable: sample.environment]))
            var profile = CORSPolicyProfile()
            profile.applyOverrides(from: config)
            #expect(profile.settings[key] == sample.value, "\(key) from \(variable)")
        }
    }

    @Test("cors lint accepts every key and suggests it for a typo")
    func lint() throws {
        for key in CORSPolicySettings.keys {
            let sample = Self.sample(for: key)
            let path = try LintCommandTests.file(#"{"allowOrigins": ["https://app.example.com"], "\#(key.stringValue)": \#(sample.json)}"#)
            let report = try LintCommandTests.lint([path])
            #expect(!report.output.contains("unknown-key"), "\(key): \(report.output)")
            let typo = String(key.stringValue.dropLast())
            let typoPath = try LintCommandTests.file(#"{"allowOrigins": ["https://app.example.com"], "\#(typo)": \#(sample.json)}"#)
            let typoReport = try LintCommandTests.lint([typoPath])
            #expect(typoReport.output.contains(#"did you mean "\#(key.stringValue)"?"#), "\(typo): \(typoReport.output)")
        }
    }

    @Test("the JSON form writes and reads every key")
    func codable() throws {
        // Valid non-default values of each kind; each key takes at least one of them.
        let candidates: [CORSPolicyValue] = [
            .list(["https://sample.example"]), .list(["X-Sample"]), .list(["https://*.sample.example"]),
            .flag(true), .integer(200),
        ]
        for key in CORSPolicySettings.keys {
            let policies = candidates.filter { $0.isOf(key.kind) }.compactMap { value -> CORSPolicy? in
                var settings = CORSPolicySettings(allowOrigins: ["https://app.example.com"])
                settings[key] = value
                return settings[key] == key.defaultValue ? nil : try? settings.policy()
            }
            let policy = try #require(policies.first, "no valid non-default value for \(key)")
            let data = try JSONEncoder().encode(policy)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object[key.stringValue] != nil, "\(key) missing from \(String(decoding: data, as: UTF8.self))")
            #expect(try JSONDecoder().decode(CORSPolicy.self, from: data) == policy, "\(key)")
        }
    }

    @Test("the demo's effective-policy document has every key, in order")
    func demoDocument() throws {
        let document = DemoCommand.json(.tutorial).rendered()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        #expect(Set(object.keys) == Set(CORSPolicySettings.keys.map(\.stringValue)))
        let positions = CORSPolicySettings.keys.compactMap { document.range(of: "\"\($0.stringValue)\"")?.lowerBound }
        #expect(positions == positions.sorted())
    }
}
