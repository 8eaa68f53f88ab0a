"""A FastAPI app with a classic Starlette mistake, for `cors scan`'s real-FastAPI test: an
allow_origin_regex meant for "any subdomain of example.com" that forgets the dot before the
domain, so https://evilexample.com (anyone can register it) is trusted, with credentials.
"""
from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origin_regex=r"https://.*example\.com",
    allow_credentials=True,
    allow_methods=["GET", "POST"],
    allow_headers=["Authorization"],
)


@app.get("/me")
def me(response: Response):
    response.set_cookie("session", "s3cr3t", samesite="none", secure=True)
    return {"user": "alice"}
