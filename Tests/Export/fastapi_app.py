"""The conformance routes (Tests/CORSConformanceTests/ConformanceRoutes.swift) in FastAPI, behind
the `cors export --to fastapi` module, cors_policy.py, found on PYTHONPATH.

Run: PYTHONPATH=DIR python -m uvicorn fastapi_app:app --app-dir Tests/Export --h11-max-incomplete-event-size 131072
"""
from fastapi import FastAPI, HTTPException, Response

import cors_policy

app = FastAPI()
cors_policy.install(app)


@app.get("/me")
def me(response: Response):
    response.headers["X-Request-Id"] = "42"
    return {"user": "alice"}


@app.put("/me")
def update_me():
    return {"user": "alice"}


@app.delete("/me", status_code=204)
def delete_me():
    return Response(status_code=204)


@app.get("/vary")
def vary(response: Response):
    response.headers["Vary"] = "Accept-Encoding"
    return {}


@app.get("/own-cors")
def own_cors(response: Response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return {}


@app.get("/boom")
def boom():
    raise RuntimeError("the database is down")


@app.get("/unauthorized")
def unauthorized():
    raise HTTPException(status_code=401, headers={"WWW-Authenticate": "Bearer"})


@app.options("/options-route")
def options_route():
    return Response(status_code=200, headers={"X-Handled-By": "app"})
