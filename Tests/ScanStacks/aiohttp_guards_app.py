"""aiohttp serving a cookie-authenticated API the way tutorials write it, for `cors scan --websocket`
and `--state-changing` and `cors check --websocket`.

Usage: python aiohttp_guards_app.py MODE PORT

- open: a WebSocket echo at /ws that never looks at the Origin, and POST /transfer (form-encoded,
  authenticated by the `session` cookie) without cross-origin protection.
- guarded: the same routes with the fixes `cors` gives for aiohttp: the Origin checked before
  ws.prepare(), and a middleware refusing unsafe methods whose Sec-Fetch-Site is cross-site and
  whose Origin is not trusted.

GET /api/me answers the trusted origin with CORS headers in both modes.
"""
import sys

from aiohttp import WSMsgType, web

TRUSTED = "https://app.example.test"


@web.middleware
async def cors(request, handler):
    """CORS for the trusted origin on every answer: preflights and errors included."""
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response = web.Response(status=204)
    else:
        try:
            response = await handler(request)
        except web.HTTPException as error:
            response = web.Response(status=error.status, text=error.text)
    if request.headers.get("Origin") == TRUSTED and not response.prepared:
        response.headers["Access-Control-Allow-Origin"] = TRUSTED
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
    if not response.prepared:
        response.headers["Vary"] = "Origin"
    return response


@web.middleware
async def csrf(request, handler):
    if (
        request.method not in ("GET", "HEAD", "OPTIONS")
        and request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none")
        and request.headers.get("Origin") != TRUSTED
    ):
        raise web.HTTPForbidden(text="cross-site request refused")
    return await handler(request)


def make_app(guarded):
    async def me(request):
        return web.json_response({"user": "alice"})

    async def transfer(request):
        if request.cookies.get("session") != "alice":
            return web.json_response({"error": "log in first"}, status=401)
        form = await request.post()
        return web.json_response({"user": "alice", "transferred": form.get("amount", "0")})

    async def socket(request):
        if guarded and request.headers.get("Origin") not in (TRUSTED, None):
            raise web.HTTPForbidden(text="origin not allowed")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                await ws.send_str(message.data)
        return ws

    app = web.Application(middlewares=[cors, csrf] if guarded else [cors])
    app.router.add_get("/api/me", me)
    app.router.add_post("/transfer", transfer)
    app.router.add_get("/ws", socket)
    return app


if __name__ == "__main__":
    mode, port = sys.argv[1], int(sys.argv[2])
    web.run_app(make_app(mode == "guarded"), host="127.0.0.1", port=port, print=None)
