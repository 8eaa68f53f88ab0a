-- GET /me from the tutorial's frontend origin, as a browser's fetch() sends it.
wrk.method = "GET"
wrk.path = "/me"
wrk.headers["Origin"] = "https://app.example.com"
wrk.headers["Accept"] = "*/*"
