"""Flask with Flask-CORS, the textbook setup (an explicit origin list: the frontend and its dev server; credentials), for `cors scan`'s
real-stack tests (Tests/CORSCommandLineTests/ScanRealStackTests.swift).

Run: python flask_scan_app.py PORT
"""
import logging
import sys

from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, origins=["https://app.example.test", "http://localhost:5173"], supports_credentials=True)


@app.get("/api/me")
def me():
    return {"user": "alice"}


@app.put("/api/me")
def update_me():
    return {"user": "alice"}


if __name__ == "__main__":
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
