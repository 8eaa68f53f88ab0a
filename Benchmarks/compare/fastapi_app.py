"""The tutorial's FastAPI app (README: "The tutorial's API, in FastAPI and in Swift").

CORS=none serves the same route without CORSMiddleware, as the FastAPI baseline.
"""
import os

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware

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
