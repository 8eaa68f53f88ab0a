import CORS
import HTTPTypes
import Testing

// Exact origins are searched in order in short lists and through a hash table in long ones
// (`ExactOrigins.linearSearchLimit` is 8); both paths must trust exactly the listed origins and
// give each its own prepared `Access-Control-Allow-Origin`.

@Suite("Exact origin lookup")
struct ExactOriginLookupTests {
    static func policy(originCount: Int) throws -> CORSPolicy {
        let others = (0..<(originCount - 1)).map { "https://app\($0).example.org" }
        return try CORSPolicy(allowOrigins: others + ["https://k.example.com"], allowCredentials: true)
    }

    @Test("short and long lists trust exactly their origins", arguments: [2, 8, 9, 50])
    func trustsListedOrigins(originCount: Int) throws {
        let engine = CORSEngine(policy: try Self.policy(originCount: originCount))
        for origin in ["https://k.example.com", "https://app0.example.org"] {
            let decision = engine.decide(actual(origin: origin))
            #expect(decision.outcome == .actualAllowed, "\(origin)")
            #expect(decision.headerFields[.accessControlAllowOrigin] == origin)
        }
        for origin in ["https://k.example.co", "https://k.example.comm", "https://K.example.com", "https://app0.example.or"] {
            #expect(engine.decide(actual(origin: origin)).outcome == .actualDenied(.originNotAllowed(origin: origin)))
        }
    }
}
