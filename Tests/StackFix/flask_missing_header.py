"""Flask-CORS that does not allow a header the page sends (X-Api-Key). StackFixTests merges
`cors check`'s first fix into the CORS(...) call.

Run: python flask_missing_header.py PORT
"""
import logging
import sys

from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, origins=["http://localhost:5173"], allow_headers=["Content-Type"], supports_credentials=True)


@app.put("/me")
def update_me():
    return {"user": "alice"}


if __name__ == "__main__":
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
