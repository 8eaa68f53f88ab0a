/// aiohttp. aiohttp-cors needs a route per resource and cannot answer preflights for unknown
/// paths; the export is one `@web.middleware` that answers preflights first and adds the fields
/// to every response, HTTP errors and unhandled exceptions included.
struct AiohttpStack: StackDialect {
    var displayName: String { "aiohttp" }
    var verification: String? { "verified with aiohttp (PyPI) by ExportConformanceTests/aiohttp" }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        let configuration = """
            \(exportHeader(comment: "#", model: model))
            # Save as cors_policy.py, then: app = web.Application(middlewares=[cors_policy.cors_policy_middleware, ...])
            # (first in the list, so it runs before any auth middleware).
            from aiohttp import web

            \(PythonPolicyCore.source(model))

            @web.middleware
            async def cors_policy_middleware(request, handler):
                kind, status, fields, vary = cors_decide(
                    request.method,
                    request.headers.getall("Origin", []),
                    request.headers.getall("Access-Control-Request-Method", []),
                    request.headers.getall("Access-Control-Request-Headers", []),
                    request.headers.getall("Access-Control-Request-Private-Network", []),
                )
                if kind == "preflight":
                    response = web.Response(status=status)
                    for name, value in cors_merge([], fields, vary):
                        response.headers.add(name, value)
                    return response
                try:
                    response = await handler(request)
                except web.HTTPException as error:
                    response = error
                except Exception:
                    response = web.Response(status=500, text="500 Internal Server Error")
                merged = cors_merge(list(response.headers.items()), fields, vary)
                response.headers.clear()
                for name, value in merged:
                    response.headers.add(name, value)
                return response
            """
        return StackExport(stack: .aiohttp, configuration: configuration, warnings: model.commonWarnings, verification: verification)
    }

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if let server = response.value("Server"), server.contains("aiohttp") { clues.append("Server: \(server)") }
        if response.body.contains("CORS preflight request failed") { clues.append("body 'CORS preflight request failed' (aiohttp-cors)") }
        if response.status >= 400, response.body.hasPrefix("\(response.status): ") {
            clues.append("body '\(response.body.prefix(40))' (aiohttp's error text)")
        }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "cors = aiohttp_cors.setup(app, defaults={\"\(origin)\": aiohttp_cors.ResourceOptions(...)})"
        case .methodNotAllowed(let method): "aiohttp_cors.ResourceOptions(allow_methods=[..., \"\(method)\"])"
        case .headerNotAllowed(let name): "aiohttp_cors.ResourceOptions(allow_headers=(..., \"\(name)\"))"
        case .credentialsNotAllowed: "aiohttp_cors.ResourceOptions(allow_credentials=True)"
        case .wildcardWithCredentials(let origin): "defaults={\"\(origin)\": aiohttp_cors.ResourceOptions(allow_credentials=True)}  # not \"*\""
        case .headerNotExposed(let name): "aiohttp_cors.ResourceOptions(expose_headers=(..., \"\(name)\"))"
        case .preflightNotOK: "for route in list(app.router.routes()): cors.add(route)  # every route, or OPTIONS has no handler"
        case .preflightAnsweredWithoutCORS(let path): "cors.add(app.router.add_resource(\"\(path)\"))  # aiohttp-cors answers OPTIONS only for resources added to it"
        case .preflightRedirected: "web.normalize_path_middleware(append_slash=False)"
        case .errorWithoutCORSHeaders: "web.Application(middlewares=[cors_policy.cors_policy_middleware])  # `cors export --to aiohttp`: errors keep the headers"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or aiohttp_cors: one layer only"
        case .privateNetworkNotAllowed: "response.headers[\"Access-Control-Allow-Private-Network\"] = \"true\"  # aiohttp-cors has no option for it"
        }
    }
}
