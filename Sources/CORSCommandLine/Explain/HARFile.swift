import Foundation

/// The parts of a HAR 1.2 file (`log.entries`) that CORS needs, read with Foundation's JSON
/// parser after a size check, so that a huge or broken file costs a bounded amount of memory
/// and fails with one line.
struct HARFile: Sendable {
    /// One request and its response.
    struct Entry: Sendable {
        var index: Int
        var method: String
        var url: String
        var requestHeaders: [(name: String, value: String)]
        /// 0 when the browser recorded no response (blocked, aborted, failed).
        var status: Int
        var responseHeaders: [(name: String, value: String)]
        /// Chrome's `_error` (`net::ERR_FAILED`), or Firefox's/Safari's error text.
        var error: String?
        /// Chrome's `_initiator.type` (`script`, `preflight`, `other`).
        var initiatorType: String?

        func requestHeader(_ name: String) -> String? {
            requestHeaders.first { $0.name.lowercased() == name }?.value
        }

        func hasResponseHeader(_ name: String) -> Bool {
            responseHeaders.contains { $0.name.lowercased() == name }
        }

        /// A CORS preflight: an `OPTIONS` with `Access-Control-Request-Method` (every exporter),
        /// or Chrome's `_initiator.type: "preflight"`.
        var isPreflight: Bool {
            initiatorType == "preflight" || (method == "OPTIONS" && requestHeader("access-control-request-method") != nil)
        }
    }

    /// HAR files larger than this are refused before they are read.
    static let maximumBytes = 64 << 20

    /// `log.creator.name`: "WebInspector" (Chrome), "Firefox", "WebKit Web Inspector" (Safari).
    var creator: String
    /// The URLs of `log.pages[].title` that are URLs (Chrome and Firefox put the page URL there).
    var pageURLs: [String]
    var entries: [Entry]

    /// Reads and parses `path`.
    ///
    /// - Throws: ``ToolFailure`` for a missing, unreadable, oversized, non-JSON or non-HAR file.
    static func read(path: String) throws(ToolFailure) -> HARFile {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ToolFailure("cannot read \(path): no such file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumBytes else {
            throw ToolFailure(
                "\(path) is \(size) bytes, above the 64 MiB limit for a HAR file: export only the failing requests (filter the Network panel first)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ToolFailure("cannot read \(path): permission denied or not a regular file")
        }
        return try parse(data, name: path)
    }

    /// Parses HAR JSON.
    static func parse(_ data: Data, name: String) throws(ToolFailure) -> HARFile {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let first = data.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
                throw ToolFailure("\(name) is not valid JSON: it is truncated or corrupted")
            }
            throw ToolFailure("\(name) is not a HAR file: it is not JSON")
        }
        guard let object = root as? [String: Any], let log = object["log"] as? [String: Any],
            let rawEntries = log["entries"] as? [Any]
        else {
            throw ToolFailure("\(name) is not a HAR file: it has no log.entries array")
        }
        let creator = ((log["creator"] as? [String: Any])?["name"] as? String) ?? ""
        let pages = (log["pages"] as? [Any] ?? []).compactMap { ($0 as? [String: Any])?["title"] as? String }
            .filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        var entries: [Entry] = []
        for (index, raw) in rawEntries.enumerated() {
            guard let entry = raw as? [String: Any], let request = entry["request"] as? [String: Any],
                let method = request["method"] as? String, let url = request["url"] as? String
            else {
                throw ToolFailure("\(name) is not a HAR file: entry \(index) has no request.method and request.url")
            }
            let response = entry["response"] as? [String: Any] ?? [:]
            let status = (response["status"] as? NSNumber)?.intValue ?? 0
            let error = (entry["_error"] as? String) ?? (response["_error"] as? String)
            let initiator = (entry["_initiator"] as? [String: Any])?["type"] as? String
            entries.append(
                Entry(
                    index: index, method: method, url: url, requestHeaders: headers(request["headers"]), status: status,
                    responseHeaders: headers(response["headers"]), error: error?.isEmpty == true ? nil : error,
                    initiatorType: initiator))
        }
        return HARFile(creator: creator, pageURLs: pages, entries: entries)
    }

    private static func headers(_ value: Any?) -> [(name: String, value: String)] {
        (value as? [Any] ?? []).compactMap { item in
            guard let header = item as? [String: Any], let name = header["name"] as? String else { return nil }
            return (name, header["value"] as? String ?? "")
        }
    }
}
