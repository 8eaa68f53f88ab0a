/// How each stack closes the two doors CORS leaves open — a WebSocket upgrade from any page
/// (cross-site WebSocket hijacking, CWE-1385) and a cross-site form `POST` (CSRF, CWE-352) — in
/// the stack's own words, trusting `origin`. `cors check --websocket` and `cors scan`'s
/// `websocket-origin` and `csrf-unprotected` findings quote it.
enum GuardAdvice {
    /// The swift-cors way, for any Swift server and when the stack is unknown.
    static func swiftCORSWebSocket(trusting origin: String) -> String {
        "swift-cors: WebSocketOriginGuard refuses upgrades from origins the CORS policy does not trust (Hummingbird: .http1WebSocketUpgrade(webSocketRouter:originGuard:source:); Vapor: app.middleware.use(WebSocketOriginGuardMiddleware(policy:))), with \"\(origin)\" in allowOrigins"
    }

    static func swiftCORSCrossOrigin(trusting origin: String) -> String {
        "swift-cors: CrossOriginProtection, Go's CrossOriginProtection algorithm on the CORS policy's origins (Hummingbird and Vapor: CrossOriginProtectionMiddleware(policy:)), with \"\(origin)\" in allowOrigins"
    }

    /// What to do in any stack: the rule the fix implements.
    static func genericWebSocket(trusting origin: String) -> String {
        "check the Origin of every upgrade request against the exact origins of your frontends (\(origin)) and answer any other with 403 before upgrading; WebSockets are not subject to CORS, so nothing else does it"
    }

    static func genericCrossOrigin(trusting origin: String) -> String {
        "refuse POST, PUT, PATCH and DELETE with 403 when Sec-Fetch-Site is neither same-origin nor none, or, without it, when the Origin is neither the API's own nor a trusted one (\(origin)): Go's http.CrossOriginProtection algorithm; SameSite=Lax or Strict session cookies also keep cross-site forms from carrying them"
    }

    /// The stack's own Origin check for WebSocket upgrades.
    static func webSocket(_ stack: ServerStack, trusting origin: String) -> String {
        switch stack {
        case .nginx:
            return "map $http_origin $ws_origin_ok { default 0; \"\(origin)\" 1; …; }  location /ws { if ($ws_origin_ok = 0) { return 403; } proxy_pass …; }"
        case .caddy:
            return "@foreign_ws { header Connection *Upgrade*; not header Origin \(origin) }  respond @foreign_ws 403"
        case .apache:
            return "RewriteCond %{HTTP:Upgrade} =websocket [NC]\nRewriteCond %{HTTP:Origin} !=\(origin)\nRewriteRule ^ - [F]"
        case .express:
            return "new WebSocketServer({ server, verifyClient: ({ origin }) => [..., '\(origin)'].includes(origin) })  // ws; express-ws: the same check in app.ws before use"
        case .flask:
            return "if request.headers.get(\"Origin\") not in {..., \"\(origin)\"}: abort(403)  # at the top of the flask-sock route, before the socket is used"
        case .django:
            return "application = ProtocolTypeRouter({\"websocket\": OriginValidator(URLRouter(urls), [\"\(origin)\"])})  # channels.security.websocket"
        case .fastapi:
            return "if websocket.headers.get(\"origin\") not in {..., \"\(origin)\"}: await websocket.close(code=1008)  # before websocket.accept(): Starlette answers 403"
        case .aiohttp:
            return "if request.headers.get(\"Origin\") not in {..., \"\(origin)\"}: raise web.HTTPForbidden()  # before ws.prepare(request)"
        case .spring:
            return "registry.addHandler(handler, \"/ws\").setAllowedOrigins(\"\(origin)\")  // never setAllowedOriginPatterns(\"*\")"
        case .aspnetcore:
            return "app.UseWebSockets(new WebSocketOptions { AllowedOrigins = { \"\(origin)\" } });"
        case .rails:
            return "config.action_cable.allowed_request_origins = [\"\(origin)\"]  # and no disable_request_forgery_protection"
        case .goRsCors, .goJub0bsCors:
            return "websocket.Upgrader{CheckOrigin: func(r *http.Request) bool { return trusted[r.Header.Get(\"Origin\")] }}  // trusted: {..., \"\(origin)\"}  // gorilla/websocket; never return true"
        case .hummingbird, .vapor, .swiftCORS:
            return swiftCORSWebSocket(trusting: origin)
        }
    }

    /// The stack's own cross-origin (CSRF) protection.
    static func crossOrigin(_ stack: ServerStack, trusting origin: String) -> String {
        switch stack {
        case .nginx:
            return "map \"$request_method:$http_sec_fetch_site\" $csrf_block { default 0; \"~^(POST|PUT|PATCH|DELETE):(cross-site|same-site)$\" 1; }  if ($csrf_block) { return 403; }  # and exempt \(origin) in the map"
        case .caddy:
            return "@csrf { method POST PUT PATCH DELETE; header Sec-Fetch-Site cross-site; not header Origin \(origin) }  respond @csrf 403"
        case .apache:
            return "RewriteCond %{REQUEST_METHOD} ^(POST|PUT|PATCH|DELETE)$\nRewriteCond %{HTTP:Sec-Fetch-Site} =cross-site\nRewriteCond %{HTTP:Origin} !=\(origin)\nRewriteRule ^ - [F]"
        case .express:
            return "app.use((req, res, next) => ['GET', 'HEAD', 'OPTIONS'].includes(req.method) || ['same-origin', 'none', undefined].includes(req.get('sec-fetch-site')) || [..., '\(origin)'].includes(req.get('origin')) ? next() : res.sendStatus(403))"
        case .flask:
            return "CSRFProtect(app)  # Flask-WTF; or refuse unsafe methods whose Sec-Fetch-Site is cross-site in @app.before_request"
        case .django:
            return "MIDDLEWARE = [..., \"django.middleware.csrf.CsrfViewMiddleware\", ...]; CSRF_TRUSTED_ORIGINS = [\"\(origin)\"]  # and no @csrf_exempt on the view"
        case .fastapi:
            return "app.add_middleware(CSRFMiddleware, …)  # starlette-csrf; or a middleware answering 403 to unsafe methods whose Sec-Fetch-Site is cross-site and whose Origin is not \"\(origin)\""
        case .aiohttp:
            return "@web.middleware async def csrf(request, handler): if request.method not in (\"GET\", \"HEAD\", \"OPTIONS\") and request.headers.get(\"Sec-Fetch-Site\", \"same-origin\") not in (\"same-origin\", \"none\") and request.headers.get(\"Origin\") not in {..., \"\(origin)\"}: raise web.HTTPForbidden(); return await handler(request)"
        case .spring:
            return "http.csrf(Customizer.withDefaults())  // Spring Security's CSRF protection: never csrf().disable() for cookie sessions"
        case .aspnetcore:
            return "builder.Services.AddAntiforgery(); app.UseAntiforgery();  // and [ValidateAntiForgeryToken] on the action"
        case .rails:
            return "protect_from_forgery with: :exception  # in ApplicationController; no skip_forgery_protection on this action"
        case .goRsCors, .goJub0bsCors:
            return "protection := http.NewCrossOriginProtection(); protection.AddTrustedOrigin(\"\(origin)\"); handler = protection.Handler(mux)  // Go 1.25"
        case .hummingbird, .vapor, .swiftCORS:
            return swiftCORSCrossOrigin(trusting: origin)
        }
    }
}
