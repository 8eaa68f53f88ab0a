/// Flask. Flask-CORS reflects or lists origins but sends no `Vary` on denials and answers refused
/// preflights like allowed ones; the export is a WSGI middleware around `app.wsgi_app`, which sees
/// every response (Flask's own 404s and 500s included) and answers preflights before any view,
/// `before_request` hook or auth decorator runs.
struct FlaskStack: StackDialect {
    var displayName: String { "Flask" }
    var verification: String? { "verified with Flask and Werkzeug (PyPI) by ExportConformanceTests/flask" }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        let configuration = """
            \(exportHeader(comment: "#", model: model))
            # Save as cors_policy.py, then, after creating the app:
            #     import cors_policy
            #     cors_policy.install(app)   # instead of CORS(app, ...)
            \(PythonPolicyCore.source(model))

            \(Self.wsgiMiddleware)

            def install(app):
                \"\"\"Wraps the Flask app's WSGI callable: every response passes through the policy.\"\"\"
                app.wsgi_app = CORSPolicyWSGI(app.wsgi_app)
                return app
            """
        return StackExport(stack: .flask, configuration: configuration, warnings: model.commonWarnings, verification: verification)
    }

    /// The WSGI middleware, shared with the Django export.
    static let wsgiMiddleware = """
        class CORSPolicyWSGI:
            \"\"\"WSGI: answers preflights itself, adds the policy's fields to every other response.\"\"\"

            def __init__(self, app):
                self.app = app

            def __call__(self, environ, start_response):
                def values(key):
                    value = environ.get(key)
                    return [] if value is None else [value]

                kind, status, fields, vary = cors_decide(
                    environ["REQUEST_METHOD"],
                    values("HTTP_ORIGIN"),
                    values("HTTP_ACCESS_CONTROL_REQUEST_METHOD"),
                    values("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"),
                    values("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"),
                )
                if kind == "preflight":
                    reason = {200: "OK", 204: "No Content", 403: "Forbidden"}[status]
                    start_response(f"{status} {reason}", cors_merge([("Content-Length", "0")], fields, vary))
                    return [b""]

                def start_with_cors(status_line, headers, exc_info=None):
                    return start_response(status_line, cors_merge(headers, fields, vary), exc_info)

                return self.app(environ, start_with_cors)
        """

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if let server = response.value("Server"), server.hasPrefix("Werkzeug") { clues.append("Server: \(server)") }
        if response.body.hasPrefix("<!doctype html>\n<html lang=en>\n<title>") {
            clues.append("Werkzeug's error page")
        }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "CORS(app, origins=[..., \"\(origin)\"])"
        case .methodNotAllowed(let method): "CORS(app, methods=[..., \"\(method)\"])"
        case .headerNotAllowed(let name): "CORS(app, allow_headers=[..., \"\(name)\"])"
        case .credentialsNotAllowed: "CORS(app, supports_credentials=True)"
        case .wildcardWithCredentials(let origin): "CORS(app, origins=[\"\(origin)\"], supports_credentials=True)  # not \"*\""
        case .headerNotExposed(let name): "CORS(app, expose_headers=[..., \"\(name)\"])"
        case .preflightNotOK: "CORS(app, ...)  # app-wide, not @cross_origin on one view; keep auth out of OPTIONS: if request.method == \"OPTIONS\": return"
        case .preflightAnsweredWithoutCORS(let path): "CORS(app, resources={r\"\(path)\": {\"origins\": [...]}})  # Flask answers OPTIONS itself on routes Flask-CORS does not cover"
        case .preflightRedirected: "app.url_map.strict_slashes = False"
        case .errorWithoutCORSHeaders: "cors_policy.install(app)  # `cors export --to flask`: a WSGI wrapper, so error responses keep the headers"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or CORS(app): one layer only"
        case .privateNetworkNotAllowed: "CORS(app, allow_private_network=True)"
        }
    }
}
