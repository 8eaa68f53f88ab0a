"""FastAPI for `cors scan`'s real-stack tests (Tests/CORSCommandLineTests/ScanRealStackTests.swift).
`/api/me` takes GET, PUT, and POST with a model (a malformed JSON body gets FastAPI's 422).

- correct: Starlette's CORSMiddleware, the textbook setup (an explicit origin list, credentials);
- by-hand: no middleware, the handlers set the CORS fields themselves and an OPTIONS route answers
  preflights, so every error FastAPI produces before a handler runs (404, 405, 422) has none.

Run: CORS_SCAN_MODE=correct|by-hand python -m uvicorn fastapi_scan_app:app --app-dir DIR --port PORT
"""
import os

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel

TRUSTED = "https://app.example.test"
BY_HAND = os.environ.get("CORS_SCAN_MODE") == "by-hand"

app = FastAPI()
if not BY_HAND:
    app.add_middleware(
        CORSMiddleware, allow_origins=[TRUSTED], allow_credentials=True, allow_methods=["*"], allow_headers=["*"]
    )


class Profile(BaseModel):
    name: str


def by_hand(request: Request, response: Response):
    response.headers["Vary"] = "Origin"
    if BY_HAND and request.headers.get("origin") == TRUSTED:
        response.headers["Access-Control-Allow-Origin"] = TRUSTED
        response.headers["Access-Control-Allow-Credentials"] = "true"


@app.get("/api/me")
def me(request: Request, response: Response):
    by_hand(request, response)
    return {"user": "alice"}


@app.put("/api/me")
def update_me(request: Request, response: Response):
    by_hand(request, response)
    return {"user": "alice"}


@app.post("/api/me")
def create_me(profile: Profile, request: Request, response: Response):
    by_hand(request, response)
    return {"user": profile.name}


if BY_HAND:

    @app.options("/api/me")
    def preflight(request: Request):
        response = Response(status_code=204)
        by_hand(request, response)
        if request.headers.get("origin") == TRUSTED:
            response.headers["Access-Control-Allow-Methods"] = "GET, PUT, POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        return response
