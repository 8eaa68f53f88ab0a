/// Django. django-cors-headers answers refused preflights like allowed ones and its
/// `handler500` responses bypass the middleware; the export is a WSGI wrapper around Django's
/// application in `wsgi.py`, which sees every response, 500s included.
struct DjangoStack: StackDialect {
    var displayName: String { "Django (django-cors-headers)" }
    var verification: String? { "verified with Django (PyPI, runserver) by ExportConformanceTests/django" }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        let configuration = """
            \(exportHeader(comment: "#", model: model))
            # Save as cors_policy.py next to wsgi.py, then in wsgi.py:
            #     import cors_policy
            #     application = cors_policy.CORSPolicyWSGI(get_wsgi_application())
            # and remove corsheaders from INSTALLED_APPS and MIDDLEWARE (one CORS layer only).
            \(PythonPolicyCore.source(model))

            \(FlaskStack.wsgiMiddleware)
            """
        return StackExport(stack: .django, configuration: configuration, warnings: model.commonWarnings, verification: verification)
    }

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if response.body.contains("You're seeing this error because you have <code>DEBUG = True</code>") {
            clues.append("Django's debug page")
        }
        if response.body.contains("csrfmiddlewaretoken") || response.fields.contains(where: { $0.value.contains("csrftoken=") }) {
            clues.append("csrftoken cookie (Django)")
        }
        if response.body.contains("<title>Page not found at /") { clues.append("Django's debug 404 page") }
        // django-cors-headers' default CORS_ALLOW_HEADERS, as it sends them: lowercase, with x-csrftoken.
        if let allowHeaders = response.value("Access-Control-Allow-Headers"), allowHeaders.contains("x-csrftoken") {
            clues.append("Access-Control-Allow-Headers with x-csrftoken (django-cors-headers' defaults)")
        }
        if response.value("Cross-Origin-Opener-Policy") == "same-origin", response.value("Referrer-Policy") == "same-origin",
            response.value("X-Frame-Options") == "DENY"
        {
            clues.append("X-Frame-Options: DENY with Referrer-Policy and Cross-Origin-Opener-Policy: same-origin (Django's SecurityMiddleware)")
        }
        if let server = response.value("Server"), server.hasPrefix("WSGIServer"), response.value("X-Frame-Options") == "DENY" {
            clues.append("Server: \(server) with X-Frame-Options: DENY (Django's runserver)")
        }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "CORS_ALLOWED_ORIGINS = [..., \"\(origin)\"]"
        case .methodNotAllowed(let method): "CORS_ALLOW_METHODS = (*default_methods, \"\(method)\")"
        case .headerNotAllowed(let name): "CORS_ALLOW_HEADERS = (*default_headers, \"\(name)\")"
        case .credentialsNotAllowed: "CORS_ALLOW_CREDENTIALS = True"
        case .wildcardWithCredentials(let origin): "CORS_ALLOWED_ORIGINS = [\"\(origin)\"]  # and CORS_ALLOW_ALL_ORIGINS = False"
        case .headerNotExposed(let name): "CORS_EXPOSE_HEADERS = [..., \"\(name)\"]"
        case .preflightNotOK: "MIDDLEWARE = [\"corsheaders.middleware.CorsMiddleware\", ...]  # first, above CommonMiddleware and auth"
        case .preflightAnsweredWithoutCORS(let path): "CORS_URLS_REGEX = r\"^/.*$\"  # it must match \(path), or corsheaders leaves its OPTIONS to Django"
        case .preflightRedirected: "APPEND_SLASH = False  # or call the URL with its trailing slash"
        case .errorWithoutCORSHeaders: "application = cors_policy.CORSPolicyWSGI(get_wsgi_application())  # `cors export --to django`: 500s keep the headers"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or corsheaders: one layer only"
        case .privateNetworkNotAllowed: "CORS_ALLOW_PRIVATE_NETWORK = True"
        }
    }
}
