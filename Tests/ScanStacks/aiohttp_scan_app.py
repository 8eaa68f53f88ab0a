"""aiohttp with aiohttp-cors, the textbook setup (an explicit origin, credentials, every route added),
for `cors scan`'s real-stack tests (Tests/CORSCommandLineTests/ScanRealStackTests.swift).

Run: python aiohttp_scan_app.py PORT
"""
import sys

import aiohttp_cors
from aiohttp import web


async def me(request):
    return web.json_response({"user": "alice"})


async def update_me(request):
    return web.json_response({"user": "alice"})


app = web.Application()
app.router.add_get("/api/me", me)
app.router.add_put("/api/me", update_me)
cors = aiohttp_cors.setup(
    app,
    defaults={
        "https://app.example.test": aiohttp_cors.ResourceOptions(
            allow_credentials=True, expose_headers="*", allow_headers="*", allow_methods="*"
        )
    },
)
for route in list(app.router.routes()):
    cors.add(route)

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
