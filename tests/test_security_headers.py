"""Headers and cookies: what a CDN may cache, what a browser may do with our pages."""

from __future__ import annotations

from .helpers.journey import send_outbox, sign


def test_hsts_only_over_https(client, petition):
    plain = client.get(f"/petitions/{petition['slug']}")
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get(f"/petitions/{petition['slug']}", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_with_a_session_are_never_cached_and_cookies_are_locked_down(
    make_app, smtp, petition
):
    app = make_app(BASE_URL="https://sign.example.org")
    client = app.test_client()
    sign(client, petition["slug"])
    send_outbox(app)
    text = smtp.messages[-1].get_body(("plain",)).get_content()
    [link] = [
        w for w in text.split() if w.startswith("https://sign.example.org/petitions/confirm/")
    ]
    path = link.removeprefix("https://sign.example.org")
    page = client.get(path, base_url="https://localhost")
    assert page.headers["Cache-Control"] == "no-store"
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_error_and_form_pages_are_not_cacheable(client, petition):
    rejected = client.post(f"/petitions/{petition['slug']}/sign", data={})
    assert rejected.headers["Cache-Control"] == "no-store"
    assert client.get("/readyz").headers["Cache-Control"] == "no-store"


def test_only_static_files_and_public_pages_are_cacheable(client, petition):
    for path in (
        f"/petitions/{petition['slug']}",
        f"/petitions/{petition['slug']}.json",
        f"/petitions/{petition['slug']}/count.json",
        "/privacy",
    ):
        response = client.get(path)
        assert response.headers["Cache-Control"].startswith("public"), path
        assert "Set-Cookie" not in response.headers, path
    assert client.get("/").headers["Cache-Control"] == "no-store"  # varies by language
