import CORSConfiguration
import Testing

/// JSON syntax errors: the exact line, column and message.
@Suite("JSON syntax errors")
struct JSONSyntaxTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var json: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { message }
    }

    static let cases: [Case] = [
        Case(
            json: "{\n  \"allowOrigins\": [\"https://a.example.com\",\n  ]\n}", line: 3, column: 3,
            message: "trailing comma before ']'; remove the last ','"),
        Case(
            json: "{\"allowOrigins\": [\"https://a.example.com\"],\n}", line: 2, column: 1,
            message: "trailing comma before '}'; remove the last ','"),
        Case(
            json: "{\n  \"allowOrigins\": [\"https://a.example.com\"]\n  \"maxAge\": 600\n}", line: 3, column: 3,
            message: "expected ',' or '}' after the value of \"allowOrigins\", found '\"'"),
        Case(
            json: "{\n  // origins\n  \"allowOrigins\": []\n}", line: 2, column: 3,
            message: "unexpected '/'; JSON has no comments"),
        Case(json: "{'allowOrigins': []}", line: 1, column: 2, message: "unexpected single quote; JSON keys use double quotes (\"…\")"),
        Case(json: "{\"maxAge\": 600", line: 1, column: 15, message: "unexpected end of file inside an object; expected ',' or '}'"),
        Case(
            json: "{\"allowOrigins\": [\"https://a.example.com]}\n", line: 1, column: 43,
            message: "unexpected end of line inside a string; expected a closing '\"' (JSON strings cannot span lines)"),
        Case(json: "{\"maxAge\": 0600}", line: 1, column: 13, message: "numbers cannot have leading zeros"),
        Case(
            json: "{\"allowCredentials\": True}", line: 1, column: 22,
            message: "unexpected 'True'; expected a value (strings need double quotes; true, false and null are lowercase)"),
        Case(json: "{\"allowOrigins\": \"\\x\"}", line: 1, column: 19,
            message: "invalid escape '\\x'; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"),
        Case(json: "{} {}", line: 1, column: 4, message: "unexpected '{' after the end of the JSON value"),
        Case(json: "   \n  ", line: 2, column: 3,
            message: "the file is empty; expected a JSON object such as {\"allowOrigins\": [\"https://app.example.com\"]}"),
        // Columns count characters, not bytes; CR LF is one line break.
        Case(json: "{\"allowOrigins\": [\"https://é.example\",, ]}", line: 1, column: 39,
            message: "unexpected ','; expected a value (two commas in a row?)"),
        Case(json: "{\r\n\"maxAge\": 600\r\n\"x\": 1}", line: 3, column: 1,
            message: "expected ',' or '}' after the value of \"maxAge\", found '\"'"),
    ]

    @Test(arguments: cases)
    func syntaxErrorsGiveLineAndColumn(_ testCase: Case) throws {
        let error = try #require(throws: CORSConfigurationError.self) {
            try CORSPolicyFile(json: testCase.json, name: "cors.json")
        }
        #expect(
            error == .syntax(file: "cors.json", position: .init(line: testCase.line, column: testCase.column), message: testCase.message))
    }

    @Test func descriptionIsOneLineWithFileLineAndColumn() throws {
        let error = try #require(throws: CORSConfigurationError.self) {
            try CORSPolicyFile(json: "{\n  \"maxAge\": 600,\n}", name: "policies/cors.json")
        }
        #expect(
            error.description == "policies/cors.json: invalid JSON at line 3, column 1: trailing comma before '}'; remove the last ','")
    }

    @Test func invalidUTF8IsReportedWhereItIs() throws {
        let bytes = Array("{\"allowOrigins\": [\"".utf8) + [0xFF] + Array("\"]}".utf8)
        let error = try #require(throws: CORSConfigurationError.self) {
            try CORSPolicyFile(bytes: bytes, name: "cors.json")
        }
        #expect(
            error == .syntax(file: "cors.json", position: .init(line: 1, column: 20), message: "the file is not valid UTF-8 (bad byte 0xFF)"))
    }

    @Test func byteOrderMarkEscapesAndSurrogatesAreAccepted() throws {
        let json = "\u{FEFF}{\"allowOrigins\": [\"https://app.example.com\"], \"exposeHeaders\": [\"X-\\u0041\\ud83d\\ude00\"]}"
        let profile = try CORSPolicyFile(json: json, name: "cors.json").profile()
        #expect(profile.settings.exposeHeaders == ["X-A😀"])
    }

    @Test func nestingIsBounded() throws {
        let json = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let error = try #require(throws: CORSConfigurationError.self) {
            try CORSPolicyFile(json: "{\"x\": \(json)}", name: "cors.json")
        }
        #expect(error == .syntax(file: "cors.json", position: .init(line: 1, column: 70), message: "nested more than 64 levels deep"))
    }
}
