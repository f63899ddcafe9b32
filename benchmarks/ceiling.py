"""The ceiling of the benchmark: the least a Flask app can do, served the same way."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "<!doctype html><title>ceiling</title><p>Bonjour.</p>"
