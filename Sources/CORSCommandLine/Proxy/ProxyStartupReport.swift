import CORS

/// What `cors proxy` prints when it starts: what is routed where, which policy is in force, and
/// the production equivalent (the `cors export` nginx and Caddy configurations in policy mode,
/// an nginx sketch in same-origin mode).
struct ProxyStartupReport {
    var settings: ProxySettings
    /// The port actually listened on.
    var port: Int
    /// The policy's name and validation findings (policy mode).
    var policyName: String?
    var policy: CORSPolicy?
    var findings: [String] = []
    /// `--listen` as given, for the export command line.
    var listen: String

    var origin: String {
        let host = settings.listenHost.contains(":") ? "[\(settings.listenHost)]" : settings.listenHost
        return "http://\(host):\(port)"
    }

    var mode: String { policy == nil ? "same-origin" : settings.reportOnly == nil ? "policy" : "report-only" }

    /// The routes, one line each, longest prefix first.
    var routeLines: [String] {
        let width = settings.routes.routes.map(\.prefix.count).max() ?? 1
        return settings.routes.routes.map { route in
            let padded = route.prefix + String(repeating: " ", count: width - route.prefix.count)
            let strip = route.stripsPrefix ? "   (prefix stripped: \(route.prefix)/me → /me)" : ""
            return "  \(padded)  → \(route.upstream)\(strip)"
        }
    }

    /// The text report, one line per element.
    func lines() -> [String] {
        var lines: [String] = []
        if let policy, let policyName {
            if settings.reportOnly == nil {
                lines.append("cors proxy on \(origin): policy mode, every response carries the policy's CORS headers")
            } else {
                lines.append("cors proxy on \(origin): report-only mode, the upstream's answers pass unchanged and the policy only reports")
            }
            lines.append("Routes:")
            lines += routeLines
            lines.append("Policy \(policyName): valid\(findings.isEmpty ? ", no warnings" : ", \(findings.count) warning(s)")")
            lines += findings.map { "  \($0)" }
            lines += Self.settingLines(policy)
            if let reportOnly = settings.reportOnly {
                lines.append(
                    "Report-only: in force. Every request, preflights included, reaches the upstream and its answer comes back unchanged, CORS headers included.")
                lines.append(
                    "Each request the policy would answer differently is logged on stderr and counted in cors_report_only_differences_total{difference,origin}: would-deny, would-allow, would-change-header (origins beyond the first \(reportOnly.recorder.originCardinalityCap) counted as other).")
            } else if settings.keepsUpstreamCORS {
                lines.append("Upstream CORS headers: kept, and preflights reach the upstream; each disagreement with the policy is warned about once on stderr.")
            } else {
                lines.append("Upstream CORS headers: removed; the proxy answers preflights and sets the policy's headers on every response, 4xx, 5xx, 502 and 504 included.")
            }
            lines.append("SIGHUP reloads the policy file.")
            for export in exports() {
                lines.append("")
                lines.append("Production equivalent (\(export.command)):")
                lines += export.configuration.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
        } else {
            lines.append("cors proxy on \(origin): same-origin mode, the page and the API share one origin, so the browser needs no CORS")
            lines.append("Routes:")
            lines += routeLines
            lines.append("WebSocket upgrades (Vite's hot reload) are tunnelled along the same routes.")
            lines.append("")
            lines.append("Production equivalent (nginx):")
            lines += nginxSketch()
        }
        return lines
    }

    /// The policy's settings that differ from their defaults (`allowOrigins` always).
    static func settingLines(_ policy: CORSPolicy) -> [String] {
        CORSPolicySettings.keys.compactMap { key in
            let value = policy.settings[key]
            guard value != key.defaultValue || key.stringValue == "allowOrigins" else { return nil }
            let name = key.stringValue + ":"
            let shown: String
            switch value {
            case .list(let list): shown = list.joined(separator: ", ")
            case .flag(let flag): shown = String(flag)
            case .integer(let number): shown = number.map(String.init) ?? ""
            }
            return "  \(name)\(String(repeating: " ", count: max(1, 21 - name.count)))\(shown)"
        }
    }

    /// The nginx and Caddy exports of the policy for the route serving `/` (else the first).
    func exports() -> [(command: String, configuration: String)] {
        guard let policy, let route = settings.routes.route(for: "/") ?? settings.routes.routes.first else { return [] }
        let model = PolicyExportModel(policy: policy)
        let endpoints = ExportEndpoints(listen: listen, upstream: route.upstream)
        return [ServerStack.nginx, .caddy].map { stack in
            let export = stack.dialect.export(model, endpoints: endpoints)
            let command = "cors export \(policyName.map { Self.fileName($0) } ?? "POLICY.json") --to \(stack.rawValue) --upstream \(route.upstream) --listen \(listen)"
            return (command, export.configuration)
        }
    }

    /// `policy.json` from `policy.json (profile production)`.
    static func fileName(_ name: String) -> String {
        guard let range = name.range(of: " (profile ") else { return name }
        return String(name[..<range.lowerBound])
    }

    /// An nginx `server` with one `location` per route, as the proxy routes them.
    func nginxSketch() -> [String] {
        var lines = [
            "map $http_upgrade $connection_upgrade { default upgrade; '' close; }",
            "server {",
            "    listen \(listen);",
        ]
        for route in settings.routes.routes {
            let location = route.prefix == "/" ? "/" : route.prefix + "/"
            let target = route.stripsPrefix ? route.origin + route.basePath + "/" : route.origin + route.basePath
            lines += [
                "    location \(location) {",
                "        proxy_pass \(target);",
                "        proxy_http_version 1.1;",
                "        proxy_set_header Host \(settings.hostMode == .upstream ? route.authority : "$host");",
                "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                "        proxy_set_header X-Forwarded-Proto $scheme;",
                "        proxy_set_header X-Forwarded-Host $host;",
                "        proxy_set_header Upgrade $http_upgrade;",
                "        proxy_set_header Connection $connection_upgrade;",
                "        proxy_cookie_domain \(route.host) $host;",
            ]
            if route.stripsPrefix { lines.append("        proxy_cookie_path / \(route.prefix)/;") }
            lines.append("    }")
        }
        lines.append("}")
        return lines
    }

    /// The `--json` document.
    func json() -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("listen", .string(origin)),
            ("mode", .string(mode)),
            (
                "routes",
                .array(
                    settings.routes.routes.map { route in
                        .object([
                            ("prefix", .string(route.prefix)), ("upstream", .string(route.upstream)),
                            ("stripPrefix", .bool(route.stripsPrefix)),
                        ])
                    })
            ),
            ("hostHeader", .string(settings.hostMode.rawValue)),
        ]
        if let policy, let policyName {
            pairs += [
                ("policy", .string(policyName)),
                ("findings", .strings(findings)),
                ("keepUpstreamCORS", .bool(settings.keepsUpstreamCORS)),
                ("reportOnly", .bool(settings.reportOnly != nil)),
                ("effectivePolicy", DemoCommand.json(policy)),
                ("productionEquivalent", .object(zip(["nginx", "caddy"], exports()).map { ($0, .string($1.configuration)) })),
            ]
        } else {
            pairs.append(("productionEquivalent", .object([("nginx", .string(nginxSketch().joined(separator: "\n") + "\n"))])))
        }
        return .object(pairs)
    }
}
