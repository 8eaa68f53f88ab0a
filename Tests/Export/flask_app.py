"""The conformance routes (Tests/CORSConformanceTests/ConformanceRoutes.swift) in Flask, behind
the `cors export --to flask` module, cors_policy.py, found on PYTHONPATH; served by Werkzeug.

Run: PYTHONPATH=DIR python Tests/Export/flask_app.py PORT
"""
import sys

from flask import Flask, abort, make_response

import cors_policy

app = Flask(__name__)
cors_policy.install(app)


@app.get("/me")
def me():
    return {"user": "alice"}, 200, {"X-Request-Id": "42"}


@app.put("/me")
def update_me():
    return {"user": "alice"}


@app.delete("/me")
def delete_me():
    return "", 204


@app.get("/vary")
def vary():
    return {}, 200, {"Vary": "Accept-Encoding"}


@app.get("/own-cors")
def own_cors():
    return {}, 200, {"Access-Control-Allow-Origin": "*"}


@app.get("/boom")
def boom():
    raise RuntimeError("the database is down")


@app.get("/unauthorized")
def unauthorized():
    abort(make_response({}, 401, {"WWW-Authenticate": "Bearer"}))


@app.route("/options-route", methods=["OPTIONS"], provide_automatic_options=False)
def options_route():
    return "", 200, {"X-Handled-By": "app"}


if __name__ == "__main__":
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.logger.disabled = True
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
