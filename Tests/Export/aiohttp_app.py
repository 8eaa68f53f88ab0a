"""The conformance routes (Tests/CORSConformanceTests/ConformanceRoutes.swift) in aiohttp, behind
the `cors export --to aiohttp` middleware, cors_policy.py, found on PYTHONPATH.

Run: PYTHONPATH=DIR python Tests/Export/aiohttp_app.py PORT
"""
import sys

from aiohttp import web

import cors_policy


async def me(request):
    return web.json_response({"user": "alice"}, headers={"X-Request-Id": "42"})


async def update_me(request):
    return web.json_response({"user": "alice"})


async def delete_me(request):
    return web.Response(status=204)


async def vary(request):
    return web.json_response({}, headers={"Vary": "Accept-Encoding"})


async def own_cors(request):
    return web.json_response({}, headers={"Access-Control-Allow-Origin": "*"})


async def boom(request):
    raise RuntimeError("the database is down")


async def unauthorized(request):
    raise web.HTTPUnauthorized(headers={"WWW-Authenticate": "Bearer"})


async def options_route(request):
    return web.Response(status=200, headers={"X-Handled-By": "app"})


# Heads up to 128 KiB, as the other test servers: a 100 kB Access-Control-Request-Headers gets the
# policy's answer, not aiohttp's 400.
app = web.Application(
    middlewares=[cors_policy.cors_policy_middleware],
    handler_args={"max_field_size": 131072, "max_line_size": 131072},
)
app.router.add_get("/me", me, allow_head=False)
app.router.add_put("/me", update_me)
app.router.add_delete("/me", delete_me)
app.router.add_get("/vary", vary, allow_head=False)
app.router.add_get("/own-cors", own_cors, allow_head=False)
app.router.add_get("/boom", boom, allow_head=False)
app.router.add_get("/unauthorized", unauthorized, allow_head=False)
app.router.add_route("OPTIONS", "/options-route", options_route)

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
