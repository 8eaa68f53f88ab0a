-- The preflight a browser sends before PUT /me with Authorization and Content-Type.
wrk.method = "OPTIONS"
wrk.path = "/me"
wrk.headers["Origin"] = "https://app.example.com"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "authorization,content-type"
wrk.headers["Accept"] = "*/*"
