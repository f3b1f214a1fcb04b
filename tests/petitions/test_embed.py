"""The embed: a partner's page frames the count and the sign form; nothing else may be framed."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from ..helpers.journey import FORM_TOKEN, next_path, send_outbox
from ..helpers.servers import free_port


def _embed_token(client, slug: str, prefix: str = "") -> str:
    page = client.get(f"{prefix}/petitions/{slug}/embed").get_data(as_text=True)
    return FORM_TOKEN.search(page).group(1)


def _fields(token: str, **overrides) -> dict:
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "country": "CH",
        "consent": "y",
        "form_token": token,
    }
    data.update(overrides)
    return data


def test_only_the_embed_may_be_framed(client, petition):
    slug = petition["slug"]
    embed = client.get(f"/petitions/{slug}/embed")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert embed.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in embed.headers
    for path in (f"/petitions/{slug}", f"/petitions/{slug}/check-email", "/privacy", "/"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_partners_allowed_to_frame_are_configurable(make_app, petition):
    client = make_app(EMBED_FRAME_ANCESTORS="https://partner.example.org").test_client()
    embed = client.get(f"/petitions/{petition['slug']}/embed")
    assert "frame-ancestors https://partner.example.org" in embed.headers["Content-Security-Policy"]


def test_the_embed_shows_title_count_progress_and_the_form(client, petition):
    html = client.get(f"/es/petitions/{petition['slug']}/embed").get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Gobiernos: pongan fin a los ciberataques contra la sanidad</h1>" in html
    assert 'role="status"' in html and "<progress" in html
    assert f'action="/es/petitions/{petition["slug"]}/embed/sign#error-summary"' in html
    assert 'class="site-header"' not in html
    # Links out of the frame open a new tab: the pages they lead to refuse to be framed.
    assert f'href="/es/petitions/{petition["slug"]}" target="_blank" rel="noopener"' in html


def test_signing_in_the_embed_stays_in_the_embed(app, client, smtp, petition):
    slug = petition["slug"]
    token = _embed_token(client, slug, "/fr")
    response = client.post(
        f"/fr/petitions/{slug}/embed/sign",
        data=_fields(token),
        headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 303
    assert next_path(response) == f"/fr/petitions/{slug}/embed/check-email"
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    step = client.get(f"/fr/petitions/{slug}/embed/check-email")
    assert "frame-ancestors *" in step.headers["Content-Security-Policy"]
    html = step.get_data(as_text=True)
    assert "Consultez votre messagerie" in html and 'class="site-header"' not in html
    send_outbox(app)
    assert smtp.messages[-1]["Subject"].startswith("Veuillez confirmer votre signature")


def test_embed_form_errors_come_back_in_the_embed(client, petition):
    slug = petition["slug"]
    token = _embed_token(client, slug)
    response = client.post(f"/petitions/{slug}/embed/sign", data=_fields(token, email="nope"))
    assert response.status_code == 422
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html and 'class="site-header"' not in html


def test_a_forged_post_from_another_site_is_refused_in_the_embed_too(client, petition):
    slug = petition["slug"]
    token = _embed_token(client, slug)
    response = client.post(
        f"/petitions/{slug}/embed/sign",
        data=_fields(token),
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403


def test_the_call_page_offers_the_embed_code(make_app, petition):
    client = make_app(BASE_URL="https://sign.example.org").test_client()
    html = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert "Intégrez cet appel à votre site" in html
    assert (
        "&lt;iframe src=&#34;https://sign.example.org/fr/petitions/call-to-governments/embed&#34;"
        in html
    )


# -- in a browser: a partner's page on another origin -----------------------------------


class PartnerSite:
    """A plain HTML page on another port and host name that frames the embed."""

    def __init__(self, embed_url: str) -> None:
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>A partner organisation</title></head><body>"
            "<h1>A partner organisation</h1><p>We support this call. Sign it here:</p>"
            f'<iframe src="{embed_url}" title="Sign the call" width="520" height="1100">'
            "</iframe></body></html>"
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args) -> None:
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        # "localhost" against the app's "127.0.0.1": another site, not only another port.
        self.url = f"http://localhost:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> PartnerSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.mark.browser
def test_signing_through_an_iframe_on_a_partners_page(live_server, page, smtp, artifacts):
    from campaign.extensions import db
    from campaign.mail.worker import send_batch
    from campaign.petitions.cli import seed_demo

    with live_server.app.app_context():
        seed_demo()
        db.session.commit()
    embed_url = f"{live_server.url}/fr/petitions/call-to-governments/embed"
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    with PartnerSite(embed_url) as partner:
        page.goto(partner.url)
        frame = page.frame_locator("iframe")
        assert "mettez fin aux cyberattaques" in frame.locator("h1").inner_text()
        page.screenshot(path=artifacts / "embed-partner-page-fr.png", full_page=True)
        frame.get_by_label("Nom complet").fill("Gisèle Halimi")
        frame.get_by_label("Adresse e-mail").fill("gisele@example.org")
        frame.get_by_label("Pays de résidence").select_option("FR")
        frame.get_by_label("J’ai lu la déclaration de confidentialité").check()
        frame.get_by_role("button", name="Signer l’appel").click()
        frame.get_by_role("heading", name="Consultez votre messagerie").wait_for()
        assert page.url == partner.url  # the partner's page stayed; only the frame moved on
        page.screenshot(path=artifacts / "embed-check-email-fr.png", full_page=True)

    with live_server.app.app_context():
        assert send_batch().sent == 1
    mail = smtp.messages[-1]
    assert mail["Subject"].startswith("Veuillez confirmer votre signature")
    text = mail.get_body(("plain",)).get_content()
    [link] = [w for w in text.split() if w.startswith(f"{live_server.url}/fr/petitions/confirm/")]
    page.goto(link)
    page.get_by_role("button", name="Confirmer ma signature").click()
    page.wait_for_url("**/fr/petitions/call-to-governments/thank-you")
    expect(page.locator(".count-number")).to_have_text("1")
    assert errors == []


@pytest.mark.browser
def test_the_embed_code_copies_with_one_press_and_without_script_by_hand(live_server, browser):
    from campaign.extensions import db
    from campaign.petitions.cli import seed_demo

    with live_server.app.app_context():
        seed_demo()
        db.session.commit()
    url = f"{live_server.url}/es/petitions/call-to-governments"

    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(url)
    # The code is folded in the share-and-embed panel, after the sign form.
    page.locator("details.share-embed > summary").click()
    code = page.get_by_label("Código para copiar en su página").input_value()
    assert code.startswith(f'<iframe src="{url}/embed"')
    page.get_by_role("button", name="Copiar el código").click()
    page.get_by_role("status").filter(has_text="El código se ha copiado.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code
    context.close()

    without_script = browser.new_context(java_script_enabled=False)
    page = without_script.new_page()
    page.goto(url)
    assert page.get_by_role("button", name="Copiar el código").count() == 0
    page.locator("details.share-embed > summary").click()  # a details opens without script
    expect(page.get_by_label("Código para copiar en su página")).to_be_visible()
    without_script.close()
