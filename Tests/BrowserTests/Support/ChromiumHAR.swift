import Foundation

/// HAR entries from Chromium's DevTools `Network` events, marked the way Chrome's DevTools
/// export marks them: a preflight has `_initiator.type` and `_resourceType` `preflight`, a
/// failed request `_error` (`net::ERR_FAILED`) and, when no response arrived, status 0.
/// Headers come from the `…ExtraInfo` events when present (what went over the wire).
enum ChromiumHAR {
    static func entries(_ events: [DevToolsEvent]) -> [HAREntry] {
        // The raw headers of each hop of each request, in order.
        var sentHeaders: [String: [JSONValue]] = [:]
        var received: [String: [JSONValue]] = [:]
        for event in events {
            let id = event.params["requestId"]?.string ?? ""
            switch event.method {
            case "Network.requestWillBeSentExtraInfo": sentHeaders[id, default: []].append(event.params["headers"] ?? [:])
            case "Network.responseReceivedExtraInfo": received[id, default: []].append(event.params)
            default: break
            }
        }

        var entries: [HAREntry] = []
        var open: [String: (index: Int, start: Double)] = [:]
        var sentHops: [String: Int] = [:]
        var receivedHops: [String: Int] = [:]

        func respond(_ id: String, _ response: JSONValue) {
            guard let (index, _) = open[id] else { return }
            let hop = receivedHops[id, default: 0]
            receivedHops[id] = hop + 1
            let raw = received[id].flatMap { hop < $0.count ? $0[hop]["headers"] : nil }
            entries[index].status = response["status"]?.int ?? 0
            entries[index].statusText = response["statusText"]?.string ?? ""
            entries[index].httpVersion = (response["protocol"]?.string ?? "http/1.1").uppercased()
            entries[index].responseHeaders = fields(raw ?? response["headers"] ?? [:])
            entries[index].mimeType = response["mimeType"]?.string ?? ""
        }
        func close(_ id: String, at timestamp: Double?) {
            guard let (index, start) = open.removeValue(forKey: id) else { return }
            if let timestamp { entries[index].time = max(0, (timestamp - start) * 1000) }
        }

        for event in events {
            let params = event.params
            let id = params["requestId"]?.string ?? ""
            let timestamp = params["timestamp"]?.number
            switch event.method {
            case "Network.requestWillBeSent":
                if let redirect = params["redirectResponse"], open[id] != nil {
                    respond(id, redirect)
                    if let index = open[id]?.index {
                        entries[index].redirectURL = params["request"]?["url"]?.string ?? ""
                    }
                    close(id, at: timestamp)
                }
                let request = params["request"] ?? [:]
                let hop = sentHops[id, default: 0]
                sentHops[id] = hop + 1
                let raw = sentHeaders[id].flatMap { hop < $0.count ? $0[hop] : nil }
                let isPreflight = params["initiator"]?["type"]?.string == "preflight"
                var extras: [String: JSONValue] = [
                    "_resourceType": .string(isPreflight ? "preflight" : (params["type"]?.string ?? "other").lowercased())
                ]
                if let initiator = params["initiator"] { extras["_initiator"] = initiator }
                entries.append(
                    HAREntry(
                        startedDateTime: Date(timeIntervalSince1970: params["wallTime"]?.number ?? 0),
                        method: request["method"]?.string ?? "GET", url: request["url"]?.string ?? "",
                        requestHeaders: fields(raw ?? request["headers"] ?? [:]), postData: request["postData"]?.string,
                        extras: extras))
                open[id] = (entries.count - 1, timestamp ?? 0)
            case "Network.responseReceived":
                respond(id, params["response"] ?? [:])
            case "Network.loadingFailed":
                if let index = open[id]?.index {
                    entries[index].extras["_error"] = .string(params["errorText"]?.string ?? "net::ERR_FAILED")
                    // A response blocked by the CORS check gets no `responseReceived`, only
                    // its raw head: DevTools shows it (status and headers) with the error.
                    let hop = receivedHops[id, default: 0]
                    if entries[index].status == 0, let raw = received[id], hop < raw.count {
                        receivedHops[id] = hop + 1
                        entries[index].status = raw[hop]["statusCode"]?.int ?? 0
                        entries[index].responseHeaders = fields(raw[hop]["headers"] ?? [:])
                        entries[index].statusText = raw[hop]["headersText"]?.string.flatMap(Self.reason) ?? ""
                    }
                }
                close(id, at: timestamp)
            case "Network.loadingFinished":
                close(id, at: timestamp)
            default:
                break
            }
        }
        return entries
    }

    /// `OK` from a raw head's status line `HTTP/1.1 200 OK`.
    private static func reason(_ headersText: String) -> String? {
        let statusLine = headersText.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        return parts.count == 3 ? String(parts[2]) : nil
    }

    /// DevTools joins repeated fields with a newline; HAR lists each.
    private static func fields(_ headers: JSONValue) -> [(name: String, value: String)] {
        (headers.object ?? [:]).sorted { $0.key.lowercased() < $1.key.lowercased() }.flatMap { name, value in
            (value.string ?? "").split(separator: "\n", omittingEmptySubsequences: false).map { (name: name, value: String($0)) }
        }
    }
}

extension JSONValue {
    /// The value of a number.
    var number: Double? {
        if case .number(let value) = self { value } else { nil }
    }
}
