import Foundation

/// One request and its response in a HAR 1.2 log, with the underscore-prefixed extras the
/// exporters add (`_initiator`, `_resourceType`, `_error`).
struct HAREntry: Sendable {
    var startedDateTime: Date
    /// Milliseconds from the request to the end of the response (or the failure).
    var time: Double = 0
    var method: String
    var url: String
    var requestHeaders: [(name: String, value: String)]
    var postData: String?
    /// 0 when no response was received, as DevTools exports it.
    var status: Int = 0
    var statusText: String = ""
    var httpVersion: String = "HTTP/1.1"
    var responseHeaders: [(name: String, value: String)] = []
    var mimeType: String = ""
    var redirectURL: String = ""
    var extras: [String: JSONValue] = [:]
}

/// A HAR 1.2 document (http://www.softwareishard.com/blog/har-12-spec/) written from an
/// engine's own network events.
struct HARLog: Sendable {
    var browserName: String
    var browserVersion: String
    var entries: [HAREntry]

    var json: JSONValue {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return [
            "log": [
                "version": "1.2",
                "creator": ["name": "swift-cors BrowserTests", "version": "1.0"],
                "browser": ["name": .string(browserName), "version": .string(browserVersion)],
                "pages": [],
                "entries": .array(entries.map { entry in entryJSON(entry, formatter: formatter) }),
            ]
        ]
    }

    /// Pretty-printed, keys sorted, ending in a newline.
    var data: Data {
        get throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var data = try encoder.encode(json)
            data.append(0x0A)
            return data
        }
    }

    private func entryJSON(_ entry: HAREntry, formatter: ISO8601DateFormatter) -> JSONValue {
        func headers(_ fields: [(name: String, value: String)]) -> JSONValue {
            .array(fields.map { ["name": .string($0.name), "value": .string($0.value)] })
        }
        var request: [String: JSONValue] = [
            "method": .string(entry.method), "url": .string(entry.url), "httpVersion": .string(entry.httpVersion),
            "cookies": [], "headers": headers(entry.requestHeaders), "queryString": Self.queryString(entry.url),
            "headersSize": -1, "bodySize": .number(Double(entry.postData?.utf8.count ?? 0)),
        ]
        if let postData = entry.postData {
            let type = entry.requestHeaders.first { $0.name.lowercased() == "content-type" }?.value ?? ""
            request["postData"] = ["mimeType": .string(type), "text": .string(postData)]
        }
        let response: JSONValue = [
            "status": .number(Double(entry.status)), "statusText": .string(entry.statusText),
            "httpVersion": .string(entry.status == 0 ? "" : entry.httpVersion), "cookies": [],
            "headers": headers(entry.responseHeaders),
            "content": ["size": 0, "mimeType": .string(entry.mimeType)],
            "redirectURL": .string(entry.redirectURL), "headersSize": -1, "bodySize": -1,
        ]
        var object: [String: JSONValue] = [
            "startedDateTime": .string(formatter.string(from: entry.startedDateTime)),
            "time": .number(entry.time.rounded()),
            "request": .object(request), "response": response, "cache": [:],
            "timings": ["blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": 0, "wait": .number(entry.time.rounded()), "receive": 0],
        ]
        for (key, value) in entry.extras { object[key] = value }
        return .object(object)
    }

    private static func queryString(_ url: String) -> JSONValue {
        guard let components = URLComponents(string: url), let items = components.queryItems else { return [] }
        return .array(items.map { ["name": .string($0.name), "value": .string($0.value ?? "")] })
    }
}
