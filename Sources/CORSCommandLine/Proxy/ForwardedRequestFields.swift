import HTTPTypes

/// How the proxy sets the upstream request's `Host`.
enum HostHeaderMode: String, Sendable, CaseIterable {
    /// The browser's `Host` (the proxy's own authority), as nginx's `proxy_set_header Host $host`:
    /// the upstream builds links and redirects for the proxy's origin.
    case passthrough
    /// The upstream's own authority, for upstreams that check `Host` (Vite's `allowedHosts`).
    case upstream
}

/// The fields of the request sent upstream: the browser's, less hop-by-hop fields and the body's
/// framing (the client sets it from the body it streams), with `Host` as configured and the
/// `X-Forwarded-*` / `Forwarded` fields that tell the upstream who asked.
enum ForwardedRequestFields {
    /// The upstream request's fields for `fields` from the client at `clientAddress`.
    ///
    /// - Parameters:
    ///   - proxyAuthority: The browser's `Host`: the proxy's own authority.
    ///   - keepUpgrade: Keep `Connection: upgrade` and `Upgrade` (a WebSocket handshake).
    static func make(
        from fields: HTTPFields, clientAddress: String?, route: ProxyRoute, hostMode: HostHeaderMode,
        proxyAuthority: String, keepUpgrade: Bool = false
    ) -> [(name: String, value: String)] {
        let dropped = HopByHopFields.names(in: fields)
        var result: [(name: String, value: String)] = []
        result.reserveCapacity(fields.count + 5)
        var forwardedFor: [String] = []
        var forwarded: [String] = []
        // HTTPTypes moves the first Host into the request's authority; a second one is dropped.
        let host = proxyAuthority
        for field in fields {
            let name = field.name.canonicalName
            switch name {
            case "host", "content-length", "x-forwarded-proto", "x-forwarded-host":
                continue
            case "x-forwarded-for":
                forwardedFor.append(field.value)
            case "forwarded":
                forwarded.append(field.value)
            default:
                if dropped.contains(name) { continue }
                result.append((field.name.rawName, field.value))
            }
        }
        if keepUpgrade {
            result.append(("Connection", "Upgrade"))
            result.append(("Upgrade", fields[.upgrade] ?? "websocket"))
        }
        result.append(("Host", hostMode == .upstream ? route.authority : host))
        if let clientAddress {
            forwardedFor.append(clientAddress)
            let node = clientAddress.contains(":") ? "\"[\(clientAddress)]\"" : clientAddress
            forwarded.append("for=\(node);host=\(quotedIfNeeded(host));proto=http")
        } else {
            forwarded.append("host=\(quotedIfNeeded(host));proto=http")
        }
        if !forwardedFor.isEmpty { result.append(("X-Forwarded-For", forwardedFor.joined(separator: ", "))) }
        result.append(("X-Forwarded-Proto", "http"))
        result.append(("X-Forwarded-Host", host))
        result.append(("Forwarded", forwarded.joined(separator: ", ")))
        return result
    }

    /// A `Forwarded` parameter value: a token as it is, anything else quoted (RFC 7239 §4).
    static func quotedIfNeeded(_ value: String) -> String {
        let token = value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
        if token && !value.isEmpty { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}
