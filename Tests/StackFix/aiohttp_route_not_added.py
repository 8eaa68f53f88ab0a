"""aiohttp with aiohttp-cors set up, but the route never added to it: OPTIONS has no handler.
StackFixTests puts `cors check`'s first fix on the marked line.

Run: python aiohttp_route_not_added.py PORT
"""
import sys

import aiohttp_cors
from aiohttp import web


async def update_me(request):
    return web.json_response({"user": "alice"})


app = web.Application()
cors = aiohttp_cors.setup(
    app,
    defaults={
        "http://localhost:5173": aiohttp_cors.ResourceOptions(
            allow_credentials=True, allow_headers=("Content-Type",), allow_methods=["GET", "PUT"]
        )
    },
)
app.router.add_put("/me", update_me)
# cors check's fix goes here

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
