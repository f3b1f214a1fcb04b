"""The ceiling of the stack: Flask and gunicorn doing no work at all.

The benchmark serves this with the very gunicorn configuration the real app
uses, so the figure says how fast this machine can take requests through
gunicorn, Werkzeug and Flask (and wrk on the same cores) before any code of
ours runs. Every endpoint's figure is reported as a ratio to it.

It is deliberately bare Flask rather than the app's own ``/healthz``: that
route already pays for our middleware and hooks (language prefix, security
headers, request log), and measuring against it would flatter every ratio.
The benchmark reports ``/healthz`` too, so the cost of those hooks is visible.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def ok() -> str:
    return "ok"
