/// FastAPI and Starlette. Starlette's own `CORSMiddleware` cannot enforce the policy exactly (it
/// answers refused preflights with 400, sends no `Vary` on denials, and sits inside
/// `ServerErrorMiddleware`, so unhandled-exception 500s lose the headers), so the export is a
/// small pure-ASGI middleware wrapped *around* the whole application, 500s included.
struct FastAPIStack: StackDialect {
    var displayName: String { "FastAPI/Starlette" }
    var verification: String? { "verified with FastAPI and uvicorn (PyPI) by ExportConformanceTests/fastapi" }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        let header = exportHeader(comment: "#", model: model)
        let configuration = """
            \(header)
            # Save as cors_policy.py, then, after creating the app:
            #     import cors_policy
            #     cors_policy.install(app)   # instead of app.add_middleware(CORSMiddleware, ...)
            # install() wraps the whole middleware stack, ServerErrorMiddleware included, so 500s carry the
            # fields too, and preflights are answered before any route, dependency or auth runs.
            # Oversized Access-Control-Request-Headers get the policy's answer with
            # uvicorn --h11-max-incomplete-event-size 131072 (uvicorn's default refuses heads over 16 KiB).
            \(PythonPolicyCore.source(model))

            class CORSPolicyMiddleware:
                \"\"\"Pure ASGI: answers preflights itself, adds the policy's fields to every other response.\"\"\"

                def __init__(self, app):
                    self.app = app

                async def __call__(self, scope, receive, send):
                    if scope["type"] != "http":
                        await self.app(scope, receive, send)
                        return
                    values = {}
                    for name, value in scope["headers"]:
                        values.setdefault(name.lower(), []).append(value.decode("latin-1"))
                    kind, status, fields, vary = cors_decide(
                        scope["method"],
                        values.get(b"origin", []),
                        values.get(b"access-control-request-method", []),
                        values.get(b"access-control-request-headers", []),
                        values.get(b"access-control-request-private-network", []),
                    )
                    if kind == "preflight":
                        headers = [(name.lower().encode(), value.encode("latin-1")) for name, value in cors_merge([], fields, vary)]
                        await send({"type": "http.response.start", "status": status, "headers": headers})
                        await send({"type": "http.response.body", "body": b""})
                        return

                    async def send_with_cors(message):
                        if message["type"] == "http.response.start":
                            own = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in message.get("headers", [])]
                            merged = cors_merge(own, fields, vary)
                            message = dict(message, headers=[(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in merged])
                        await send(message)

                    await self.app(scope, receive, send_with_cors)


            def install(app):
                \"\"\"Wraps the application's whole middleware stack (Starlette builds it on the first request).\"\"\"
                build = app.build_middleware_stack
                app.build_middleware_stack = lambda: CORSPolicyMiddleware(build())
                return app
            """
        return StackExport(stack: .fastapi, configuration: configuration, warnings: model.commonWarnings, verification: verification)
    }

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if StackKnowledge.serverProduct(response) == "uvicorn" { clues.append("Server: uvicorn") }
        for signature in ["Disallowed CORS origin", "Disallowed CORS method", "Disallowed CORS headers"]
        where response.body.contains(signature) {
            clues.append("body '\(signature)…' (Starlette's CORSMiddleware)")
            break
        }
        if response.body.hasPrefix("{\"detail\":") { clues.append("body {\"detail\": …} (FastAPI's error format)") }
        if response.status == 200, response.body == "OK", response.value("Access-Control-Allow-Methods") != nil {
            clues.append("preflight answered 200 'OK' (Starlette)")
        }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin):
            "app.add_middleware(CORSMiddleware, allow_origins=[..., \"\(origin)\"])"
        case .methodNotAllowed(let method):
            "app.add_middleware(CORSMiddleware, allow_methods=[..., \"\(method)\"])"
        case .headerNotAllowed(let name):
            "app.add_middleware(CORSMiddleware, allow_headers=[..., \"\(name)\"])"
        case .credentialsNotAllowed:
            "app.add_middleware(CORSMiddleware, allow_credentials=True)"
        case .wildcardWithCredentials(let origin):
            "app.add_middleware(CORSMiddleware, allow_origins=[\"\(origin)\"], allow_credentials=True)  # not [\"*\"]"
        case .headerNotExposed(let name):
            "app.add_middleware(CORSMiddleware, expose_headers=[..., \"\(name)\"])"
        case .preflightNotOK:
            "app.add_middleware(CORSMiddleware, ...)  # last add_middleware call, so it is outermost and answers OPTIONS before auth"
        case .preflightAnsweredWithoutCORS(let path):
            "app.add_middleware(CORSMiddleware, ...)  # on the main app, not a mounted sub-app: OPTIONS \(path) never reaches it"
        case .preflightRedirected:
            "app = FastAPI(redirect_slashes=False)  # or call the exact path the route declares"
        case .errorWithoutCORSHeaders:
            "cors_policy.install(app)  # `cors export --to fastapi`: wraps ServerErrorMiddleware, so 500s keep the headers"
        case .duplicateAllowOrigin:
            "remove the proxy's add_header Access-Control-* or the app's CORSMiddleware: one layer only"
        case .privateNetworkNotAllowed:
            "app.add_middleware(CORSMiddleware, allow_private_network=True)"
        }
    }
}
