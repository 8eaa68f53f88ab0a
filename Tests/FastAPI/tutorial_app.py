"""The tutorial's FastAPI app, as its readers write it: for the real-FastAPI tests
(Tests/CORSCommandLineTests/FastAPITests.swift) and the end-to-end benchmark
(Benchmarks/compare.sh, where CORS=none serves it without CORSMiddleware as the baseline).

It has the tutorial's CORS settings and two of its classic traps: an unhandled exception becomes a
500 from Starlette's ServerErrorMiddleware, which sits outside CORSMiddleware and so has no CORS
headers; and a route that redirects. Run: python -m uvicorn tutorial_app:app --app-dir Tests/FastAPI
"""
import os

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse

app = FastAPI()
if os.environ.get("CORS", "builtin") != "none":
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["https://app.example.com", "http://localhost:5173"],
        allow_credentials=True,
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
        expose_headers=["X-Request-Id"],
        max_age=600,
    )


@app.get("/me")
def me(response: Response):
    response.headers["X-Request-Id"] = "42"
    return {"user": "alice"}


@app.put("/me")
def update_me():
    return {"user": "alice"}


@app.get("/boom")
def boom():
    raise RuntimeError("the database is down")


@app.get("/old-me")
def old_me():
    return RedirectResponse("/me", status_code=307)
