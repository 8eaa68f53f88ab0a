// The servers Benchmarks/compare.sh starts on 127.0.0.1: the tutorial's `GET /me`
// (200 `{"user":"alice"}` with `X-Request-Id: 42`) on Hummingbird or Vapor, behind swift-cors,
// the framework's own CORSMiddleware configured like the tutorial, or no CORS layer.
//
//     CompareServer --framework hummingbird|vapor --cors ours|builtin|none [--port 8080]
//
// It serves until SIGINT or SIGTERM.

import Foundation

enum Framework: String {
    case hummingbird, vapor
}

enum CORSLayer: String {
    case ours, builtin, none
}

struct Options {
    var framework: Framework
    var cors: CORSLayer
    var port: Int

    static let usage = "usage: CompareServer --framework hummingbird|vapor --cors ours|builtin|none [--port N]"

    static func parse(_ arguments: [String]) -> Options? {
        var framework: Framework?
        var cors: CORSLayer?
        var port = 8080
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard let value = iterator.next() else { return nil }
            switch argument {
            case "--framework": framework = Framework(rawValue: value)
            case "--cors": cors = CORSLayer(rawValue: value)
            case "--port":
                guard let number = Int(value), (1...65535).contains(number) else { return nil }
                port = number
            default: return nil
            }
        }
        guard let framework, let cors else { return nil }
        return Options(framework: framework, cors: cors, port: port)
    }
}

/// The tutorial's response.
enum Tutorial {
    static let host = "127.0.0.1"
    static let origins = ["https://app.example.com", "http://localhost:5173"]
    static let meBody = #"{"user":"alice"}"#
    static let requestID = "42"
}

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(Data((Options.usage + "\n").utf8))
    exit(2)
}

do {
    switch options.framework {
    case .hummingbird:
        try await runHummingbird(cors: options.cors, port: options.port)
    case .vapor:
        try await runVapor(cors: options.cors, port: options.port)
    }
} catch {
    FileHandle.standardError.write(Data("CompareServer: \(error)\n".utf8))
    exit(1)
}
