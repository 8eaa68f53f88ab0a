import HTTPTypes
import Testing

@testable import CORS

/// The length-first name checks on the engine's hot path: every name it cares about is
/// recognised in any case, and names of the same length that differ are not.
@Suite("Field names, classified by length first")
struct FieldNameClassifierTests {
    @Test(
        "request fields: exact names in any case, never a same-length near miss",
        arguments: [
            ("Origin", FieldNameClassifier.RequestField.origin),
            ("ORIGIN", .origin),
            ("Access-Control-Request-Method", .accessControlRequestMethod),
            ("access-control-request-method", .accessControlRequestMethod),
            ("Access-Control-Request-Headers", .accessControlRequestHeaders),
            ("ACCESS-CONTROL-REQUEST-HEADERS", .accessControlRequestHeaders),
            ("Access-Control-Request-Private-Network", .accessControlRequestPrivateNetwork),
        ])
    func recognised(_ name: String, _ expected: FieldNameClassifier.RequestField) throws {
        let fieldName = try #require(HTTPField.Name(name))
        #expect(FieldNameClassifier.requestField(fieldName) == expected)
        #expect(FieldNameClassifier.isRequestHeaders(fieldName) == (expected == .accessControlRequestHeaders))
    }

    @Test(
        "same-length and other names are not request fields",
        arguments: [
            "Accept",  // 6 bytes, like Origin
            "Origim", "Host", "Origin-X",
            "Access-Control-Request-Methox",  // 29, like -Method
            "Access-Control-Allow-Methods-",  // 29
            "Access-Control-Request-Headerz",  // 30, like -Headers
            "Access-Control-Expose-Headers!",  // 30
            "Access-Control-Request-Private-Networx",  // 38
        ])
    func notRecognised(_ name: String) throws {
        let fieldName = try #require(HTTPField.Name(name))
        #expect(FieldNameClassifier.requestField(fieldName) == nil)
        #expect(!FieldNameClassifier.isRequestHeaders(fieldName))
    }

    @Test("owned response fields: the seven Access-Control-Allow-*/Expose/Max-Age names, nothing else")
    func ownedResponseFields() throws {
        let owned = [
            "Access-Control-Allow-Origin", "access-control-allow-credentials", "Access-Control-Expose-Headers",
            "Access-Control-Allow-Methods", "ACCESS-CONTROL-ALLOW-HEADERS", "Access-Control-Max-Age",
            "Access-Control-Allow-Private-Network",
        ]
        for name in owned {
            #expect(FieldNameClassifier.isOwnedResponseField(try #require(HTTPField.Name(name))), "\(name)")
        }
        let others = [
            "Access-Control-Request-Method", "Access-Control-Max-Agf", "Access-Control-Allow-Originz", "Vary",
            "Content-Type", "X-Access-Control-Allow-Origin", "Bccess-Control-Allow-Origin",
        ]
        for name in others {
            #expect(!FieldNameClassifier.isOwnedResponseField(try #require(HTTPField.Name(name))), "\(name)")
        }
    }

    @Test("Vary in any case, and no other four-byte name")
    func vary() throws {
        #expect(FieldNameClassifier.isVary(try #require(HTTPField.Name("Vary"))))
        #expect(FieldNameClassifier.isVary(try #require(HTTPField.Name("VARY"))))
        #expect(!FieldNameClassifier.isVary(try #require(HTTPField.Name("Host"))))
        #expect(!FieldNameClassifier.isVary(try #require(HTTPField.Name("Varys"))))
    }
}
