// Fuzzes policy JSON: Foundation's JSONDecoder into CORSPolicy (validation included) and the
// CORSConfiguration policy-file loader (its own JSON parser, profiles, production rules).
//
// Input: the JSON text itself.
import CORS
import CORSConfiguration
import Foundation
import FuzzSupport
import HTTPTypes

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicyJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzInput(data, size)
    let decoded = decodeWithFoundation(input.bytes)
    let loaded = loadWithConfiguration(input.bytes)
    if let decoded, let loaded {
        require(decoded == loaded, "JSONDecoder and the policy-file loader read different policies: \(decoded) vs \(loaded)")
    }
    return 0
}

private func decodeWithFoundation(_ bytes: [UInt8]) -> CORSPolicy? {
    let policy: CORSPolicy
    do {
        policy = try JSONDecoder().decode(CORSPolicy.self, from: Data(bytes))
    } catch let error as CORSPolicyError {
        require(error.problems.contains { $0.severity == .error }, "CORSPolicyError without an error: \(error)")
        for problem in error.problems {
            require(!problem.message.isEmpty && !problem.fix.isEmpty, "problem without text: \(problem)")
        }
        return nil
    } catch {
        return nil  // not JSON, or wrong JSON types: the decoder's own error.
    }
    checkValidPolicy(policy)
    // Round trip: encode and decode again gives the same policy.
    do {
        let encoded = try JSONEncoder().encode(policy)
        let again = try JSONDecoder().decode(CORSPolicy.self, from: encoded)
        require(again == policy, "policy changes through encode/decode: \(policy) vs \(again)")
    } catch {
        require(false, "a valid policy does not round-trip through JSON: \(error)")
    }
    return policy
}

/// The loader: for a plain file, the policy of a non-production profile (production adds rules
/// of its own); for a profiles file, each profile.
private func loadWithConfiguration(_ bytes: [UInt8]) -> CORSPolicy? {
    guard let file = try? CORSPolicyFile(bytes: bytes, name: "fuzz.json") else { return nil }
    var plainPolicy: CORSPolicy?
    let names: [String] = file.profileNames.map { Array($0.prefix(3)) + ["missing-profile"] } ?? ["development", "production"]
    for name in names {
        let profile: CORSPolicyProfile
        do {
            profile = try file.profile(name)
        } catch {
            require(file.profileNames != nil, "a plain file has no profile \(name): \(error)")
            continue
        }
        let findings = profile.findings
        for finding in findings {
            require(!finding.message.isEmpty, "finding without a message: \(finding)")
        }
        do throws(CORSConfigurationError) {
            let policy = try profile.policy()
            require(!profile.hasErrors, "profile \(name) has errors but gives a policy")
            checkValidPolicy(policy)
            if file.profileNames == nil && name == "development" { plainPolicy = policy }
        } catch {
            require(!error.findings.isEmpty, "policy() failed without findings: \(error)")
        }
    }
    return plainPolicy
}

/// A policy that validated: it has no error, and the engine keeps its promises on its own
/// origins and on origins it does not list.
private func checkValidPolicy(_ policy: CORSPolicy) {
    let problems = policy.settings.problems()
    require(!problems.contains { $0.severity == .error }, "a constructed policy has errors: \(problems)")
    require(problems == policy.warnings, "warnings differ from problems(…)")

    let engine = CORSEngine(policy: policy)
    var origins = policy.allowOrigins.prefix(4).map { $0 }
    origins += policy.allowOriginPatterns.prefix(2).map { $0.replacing("://*.", with: "://a.").replacing(":*", with: ":1") }
    origins += ["https://evil.example", "null", origins.first.map { $0 + "/" } ?? "", origins.first?.uppercased() ?? ""]
    let method = policy.allowMethods.first { $0 != "*" } ?? "PATCH"
    let headers = policy.allowHeaders.prefix(3).joined(separator: ", ")
    for origin in origins {
        EngineCheck.run(engine, EngineCheck.request(.get, [(.origin, Bytes.of(origin))]))
        EngineCheck.run(
            engine,
            EngineCheck.request(
                .options,
                [
                    (.origin, Bytes.of(origin)), (.accessControlRequestMethod, Bytes.of(method)),
                    (.accessControlRequestHeaders, Bytes.of(headers)),
                    (.accessControlRequestPrivateNetwork, Bytes.of("true")),
                ]))
    }
    EngineCheck.run(engine, EngineCheck.request(.get, []))
    EngineCheck.run(engine, EngineCheck.request(.options, []))
}
