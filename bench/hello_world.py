"""The Flask hello-world that bench/pages.py compares Causeries' pages with, served by the same
gunicorn settings: `gunicorn -c gunicorn.conf.py "bench.hello_world:create_app()"`."""
from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def hello() -> str:
        return "Hello, World!"

    return app
