"""The deploy guide's nginx configuration, run as shipped in front of the app.

deploy/nginx/campaign.conf, rendered as the guide says, in a real nginx (TLS
on a free port) in front of the app served over HTTP. Public pages are
compressed and cached for a few seconds; nothing with a cookie, a form's
answer or a cookie being set is ever cached or served from the cache; the
app's security headers come through; and the app sees the client's own
address and the https scheme through the forwarded headers. Requests come
from 127.0.0.3, so the client's address is told apart from nginx's own.
"""

from __future__ import annotations

import gzip
import http.client
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from campaign.extensions import db
from campaign.ip_addresses import unpack_ip
from campaign.models import Signature

from .helpers.journey import FORM_TOKEN, links_in, local_path, send_outbox
from .helpers.nginx import Nginx
from .helpers.servers import free_port

CLIENT = "127.0.0.3"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Cache-Control",
)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache-Status", "")

    @property
    def text(self) -> str:
        body = self.body
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode()


@dataclass
class Site:
    app: Flask
    proxy: Nginx
    app_port: int

    def request(self, method: str, path: str, headers=None, form=None, direct=False) -> Answer:
        """One request through nginx over HTTPS from CLIENT (or ``direct``ly to the app)."""
        if direct:
            connection = http.client.HTTPConnection("127.0.0.1", self.app_port, timeout=20)
        else:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.proxy.port, timeout=20, context=Nginx.tls(),
                source_address=(CLIENT, 0),
            )  # fmt: skip
        sent = {"Host": f"localhost:{self.proxy.port}", **(headers or {})}
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()


@pytest.fixture
def site(make_app, petition) -> Iterator[Site]:
    port = free_port()
    with Nginx(port) as proxy:
        app = make_app(PROXY_COUNT=1, BASE_URL=f"https://localhost:{proxy.port}")
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Site(app, proxy, port)
        finally:
            server.shutdown()
            thread.join(timeout=5)


def test_public_pages_are_compressed_and_cached_briefly_with_the_apps_headers(site, petition):
    path = f"/petitions/{petition['slug']}"
    first = site.request("GET", path, {"Accept-Encoding": "gzip"})
    assert first.status == 200 and first.cache == "MISS"
    assert first.headers["Content-Encoding"] == "gzip" and "<html" in first.text
    assert "Accept-Encoding" in first.headers["Vary"]
    second = site.request("GET", path, {"Accept-Encoding": "gzip"})
    assert second.cache == "HIT" and second.text == first.text
    plain = site.request("GET", path)
    assert plain.cache == "HIT" and "Content-Encoding" not in plain.headers
    assert plain.body.decode() == first.text

    direct = site.request("GET", path, direct=True)
    for name in SECURITY_HEADERS:
        assert first.headers[name] == direct.headers[name], name
    assert first.headers["Cache-Control"].startswith("public, max-age=")

    # Text of every kind the site serves is compressed: CSS and JavaScript from disk, JSON
    # and the press CSV from the app.
    for path, kind in (
        ("/static/css/site.css", "text/css"),
        ("/static/js/embed-parent.js", "javascript"),
        (f"/petitions/{petition['slug']}.json", "application/json"),
        (f"/petitions/{petition['slug']}/signatories.csv", "text/csv"),
    ):
        answer = site.request("GET", path, {"Accept-Encoding": "gzip"})
        assert answer.status == 200 and kind in answer.headers["Content-Type"], path
        assert answer.headers["Content-Encoding"] == "gzip", path
    static = site.request("GET", "/static/css/site.css")
    assert static.headers["Cache-Control"] == "max-age=3600"
    assert static.headers["X-Content-Type-Options"] == "nosniff"


def test_nothing_with_a_cookie_or_a_form_is_cached(site, petition, smtp):
    path = f"/petitions/{petition['slug']}"
    site.request("GET", path)
    assert site.request("GET", path).cache == "HIT"

    # A request with a cookie always reaches the app, and its answer is not kept: the
    # next visitor without one does not get the copy made for the one with it.
    with_cookie = site.request("GET", path, {"Cookie": "session=someone"})
    assert with_cookie.cache == "BYPASS"
    french = f"/fr{path}"
    assert site.request("GET", french, {"Cookie": "session=someone"}).cache == "BYPASS"
    assert site.request("GET", french).cache == "MISS"

    # A form's answer: never from the cache, however often it is sent (for anything but
    # GET and HEAD, nginx does not even look: no cache status at all).
    token = FORM_TOKEN.search(site.request("GET", path).text).group(1)
    form = {"name": "Ada", "email": "ada@example.org", "country": "CH", "consent": "y"}
    for _ in range(2):
        answer = site.request("POST", f"{path}/sign", form={**form, "form_token": token})
        assert answer.status == 303 and answer.cache in ("", "BYPASS")

    # A page that sets a cookie (the confirmation page: a session for its button) is
    # never stored: each visitor gets a cookie of their own.
    send_outbox(site.app)
    confirm = local_path(links_in(smtp.messages[-1])[0])
    cookies = []
    for _ in range(2):
        answer = site.request("GET", confirm)
        assert answer.status == 200 and answer.cache != "HIT"
        cookies.append(answer.headers["Set-Cookie"])
    assert cookies[0] != cookies[1]


def test_the_app_sees_the_client_and_the_scheme_through_the_forwarded_headers(site, petition):
    path = f"/petitions/{petition['slug']}"
    page = site.request("GET", path)
    # HSTS is sent only over https: the app saw X-Forwarded-Proto.
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in site.request("GET", path, direct=True).headers

    token = FORM_TOKEN.search(page.text).group(1)
    form = {"name": "Ada", "email": "ada@example.org", "country": "CH", "consent": "y"}
    origin = {"Origin": f"https://localhost:{site.proxy.port}"}
    answer = site.request("POST", f"{path}/sign", origin, form={**form, "form_token": token})
    assert answer.status == 303
    with site.app.app_context():
        stored = db.session.scalars(select(Signature.ip_address)).one()
    assert unpack_ip(stored) == CLIENT

    # nginx's own access log names the client's network, never its address.
    log = site.proxy.access_log()
    assert "127.0.0.0/24" in log and CLIENT not in log
