import Testing

/// The shared conformance table, run against the core engine and both adapters. Each must
/// answer exactly what the table says, so the two adapters behave identically.
@Suite("Conformance: engine, Hummingbird and Vapor answer alike")
struct ConformanceTests {
    @Test(arguments: ConformanceCase.all)
    func engine(_ testCase: ConformanceCase) async {
        let observed = await EngineRunner.run(testCase)
        #expect(observed.matches(Observed(expected: testCase), checkingBody: false), "engine: \(observed)")
    }

    @Test(arguments: ConformanceCase.all)
    func hummingbird(_ testCase: ConformanceCase) async throws {
        let observed = try await HummingbirdRunner.run(testCase)
        #expect(observed.matches(Observed(expected: testCase), checkingBody: testCase.isPreflight), "hummingbird: \(observed)")
    }

    @Test(arguments: ConformanceCase.all)
    func vapor(_ testCase: ConformanceCase) async throws {
        let observed = try await VaporRunner.run(testCase)
        #expect(observed.matches(Observed(expected: testCase), checkingBody: testCase.isPreflight), "vapor: \(observed)")
    }

    /// The Vapor trap: appended after ErrorMiddleware, the middleware still answers every case
    /// exactly the same.
    @Test(arguments: ConformanceCase.all)
    func vaporAfterErrorMiddleware(_ testCase: ConformanceCase) async throws {
        let observed = try await VaporRunner.run(testCase, afterErrorMiddleware: true)
        #expect(observed.matches(Observed(expected: testCase), checkingBody: testCase.isPreflight), "vapor: \(observed)")
    }

    @Test(arguments: ConformanceCase.all)
    func adaptersAreIdentical(_ testCase: ConformanceCase) async throws {
        let hummingbird = try await HummingbirdRunner.run(testCase)
        let vapor = try await VaporRunner.run(testCase)
        #expect(hummingbird.matches(vapor, checkingBody: testCase.isPreflight), "hummingbird: \(hummingbird)\nvapor: \(vapor)")
    }

    @Test func tableCoversEveryPolicy() {
        #expect(Set(ConformanceCase.all.map(\.policy)) == Set(ConformancePolicy.allCases))
        #expect(ConformanceCase.all.count == 50)
    }
}
