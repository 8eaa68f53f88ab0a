"""FastAPI whose CORSMiddleware does not allow a header the page sends (X-Api-Key): Starlette
answers the preflight 400 "Disallowed CORS headers". StackFixTests merges `cors check`'s first
fix into the add_middleware call.

Run: python -m uvicorn fastapi_missing_header:app --app-dir DIR --port PORT
"""
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["http://localhost:5173"], allow_methods=["GET", "PUT"], allow_headers=["Authorization"], allow_credentials=True)


@app.put("/me")
def update_me():
    return {"user": "alice"}
