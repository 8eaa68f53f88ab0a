import Foundation

/// HAR entries from Firefox's WebDriver BiDi `network` events. A preflight is only an
/// `OPTIONS` request with `Access-Control-Request-Method` (no mark is added: Firefox's own
/// DevTools export has none either), and BiDi reports a failed
/// request as `network.fetchError` without its response (for a failed preflight too), so
/// those entries have status 0 and `_error` (`NS_ERROR_DOM_BAD_URI`). Each hop of a redirect
/// is its own entry.
enum FirefoxHAR {
    static func entries(_ events: [FirefoxBrowser.NetworkEvent]) -> [HAREntry] {
        var entries: [HAREntry] = []
        var open: [String: (index: Int, start: Double)] = [:]

        for event in events {
            let params = event.params
            let request = params["request"] ?? [:]
            // A redirect keeps the request id and counts up `redirectCount`.
            let key = "\(request["request"]?.string ?? "")#\(params["redirectCount"]?.int ?? 0)"
            let timestamp = params["timestamp"]?.number ?? 0
            switch event.method {
            case "network.beforeRequestSent":
                entries.append(
                    HAREntry(
                        startedDateTime: Date(timeIntervalSince1970: timestamp / 1000),
                        method: request["method"]?.string ?? "GET", url: request["url"]?.string ?? "",
                        requestHeaders: fields(request["headers"])))
                open[key] = (entries.count - 1, timestamp)
            case "network.responseCompleted":
                guard let (index, start) = open.removeValue(forKey: key) else { continue }
                let response = params["response"] ?? [:]
                entries[index].requestHeaders = fields(request["headers"])
                entries[index].status = response["status"]?.int ?? 0
                entries[index].statusText = response["statusText"]?.string ?? ""
                entries[index].httpVersion = (response["protocol"]?.string ?? "http/1.1").uppercased()
                entries[index].responseHeaders = fields(response["headers"])
                entries[index].mimeType = response["mimeType"]?.string ?? ""
                entries[index].redirectURL =
                    entries[index].responseHeaders.first { $0.name.lowercased() == "location" }?.value ?? ""
                entries[index].time = max(0, timestamp - start)
            case "network.fetchError":
                guard let (index, start) = open.removeValue(forKey: key) else { continue }
                entries[index].requestHeaders = fields(request["headers"])
                entries[index].extras["_error"] = .string(params["errorText"]?.string ?? "")
                entries[index].time = max(0, timestamp - start)
            default:
                break
            }
        }
        return entries
    }

    /// BiDi headers: `[{name, value: {type: "string", value}}]`.
    private static func fields(_ headers: JSONValue?) -> [(name: String, value: String)] {
        (headers?.array ?? []).map { header in
            (name: header["name"]?.string ?? "", value: header["value"]?["value"]?.string ?? "")
        }
    }
}
