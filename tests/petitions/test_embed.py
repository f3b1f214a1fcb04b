"""The embed: a partner's page frames the count and the sign form; nothing else may be framed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from campaign.petitions.partners import PARTNER_MAX_LENGTH, partner_name

from ..helpers.browser import screenshot
from ..helpers.journey import FORM_TOKEN, next_path, send_outbox
from ..helpers.servers import StaticSite


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


# -- sizing itself, the compact version, the partner's name --------------------------

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)


def test_every_page_of_the_embed_runs_only_script_files_under_a_strict_policy(client, petition):
    slug = petition["slug"]
    token = _embed_token(client, slug)
    responses = {
        "embed": client.get(f"/petitions/{slug}/embed"),
        "compact": client.get(f"/petitions/{slug}/embed/compact"),
        "refused": client.post(f"/petitions/{slug}/embed/sign", data=_fields(token, email="")),
        "check-email": client.get(f"/petitions/{slug}/embed/check-email"),
    }
    for name, response in responses.items():
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, name
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, name
        assert "frame-ancestors *" in policy, name
        html = response.get_data(as_text=True)
        tags = SCRIPT_TAG.findall(html)
        # Every script is a file of this site's, and one of them tells the parent the height.
        assert tags and all(' src="/static/js/' in tag for tag in tags), name
        assert '<script src="/static/js/embed-height.js" defer>' in html, name
        assert " style=" not in html, name


def test_the_compact_embed_is_the_count_and_a_button_to_the_call(client, petition):
    slug = petition["slug"]
    response = client.get(f"/fr/petitions/{slug}/embed/compact?partner=Amnesty%20Suisse")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public")
    assert "X-Frame-Options" not in response.headers
    html = response.get_data(as_text=True)
    assert "Gouvernements\u00a0: mettez fin aux cyberattaques contre la santé</h1>" in html
    assert 'role="status"' in html and "<progress" in html
    assert "<form" not in html and 'class="embed-footer"' not in html
    # The button opens the call's sign form in a new tab, naming the partner as the source.
    assert (
        f'<a class="button button--primary" href="/fr/petitions/{slug}?ref=amnesty-suisse'
        '#sign-heading" target="_blank" rel="noopener">Signer l’appel'
    ) in html


def test_the_partner_named_in_the_embed_travels_with_the_signer(client, petition):
    slug = petition["slug"]
    partner = "m%C3%A9decins-sans-fronti%C3%A8res-ch"  # "médecins-sans-frontières-ch"
    embed = client.get(
        f"/fr/petitions/{slug}/embed?partner=M%C3%A9decins+Sans+Fronti%C3%A8res+(CH)"
    )
    html = embed.get_data(as_text=True)
    sign = f"/fr/petitions/{slug}/embed/sign?partner={partner}"
    assert f'action="{sign}#error-summary"' in html
    token = FORM_TOKEN.search(html).group(1)

    refused = client.post(sign, data=_fields(token, email="nope"))
    assert refused.status_code == 422
    assert f'action="{sign}#error-summary"' in refused.get_data(as_text=True)

    signed = client.post(sign, data=_fields(token))
    assert signed.status_code == 303
    check_email = next_path(signed)
    assert check_email == f"/fr/petitions/{slug}/embed/check-email"
    assert signed.headers["Location"].endswith(f"&partner={partner}#main")
    page = client.get(signed.headers["Location"]).get_data(as_text=True)
    assert f'href="/fr/petitions/{slug}/embed?partner={partner}"' in page  # sign again


def test_partner_names_are_short_and_plain():
    assert partner_name("Amnesty International (CH)") == "amnesty-international-ch"
    assert partner_name("  Médecins Sans Frontières ") == "médecins-sans-frontières"
    assert partner_name("partner.example.org") == "partner.example.org"
    assert partner_name('"><script>alert(1)</script>') == "script-alert-1-script"
    assert partner_name("x" * 100) == "x" * PARTNER_MAX_LENGTH
    for nothing in (None, "", " ", "--", "()"):
        assert partner_name(nothing) is None


def test_the_call_page_offers_both_codes_with_the_partners_name(make_app, petition):
    client = make_app(BASE_URL="https://sign.example.org").test_client()
    html = client.get(f"/fr/petitions/{petition['slug']}?partner=Amnesty+Suisse")
    html = html.get_data(as_text=True)
    embed = "https://sign.example.org/fr/petitions/call-to-governments/embed"
    title = "Gouvernements\u00a0: mettez fin aux cyberattaques contre la santé"
    script = "&lt;script src=&#34;https://sign.example.org/static/js/embed-parent.js&#34; defer&gt;"
    full = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert full.startswith(
        f"&lt;iframe src=&#34;{embed}?partner=amnesty-suisse&#34; title=&#34;{title}&#34; "
        "width=&#34;100%&#34; height=&#34;1400&#34; loading=&#34;lazy&#34;&gt;&lt;/iframe&gt;\n"
    )
    assert full.endswith(f"{script}&lt;/script&gt;")
    compact = re.search(r'<textarea id="embed-code-compact"[^>]*>(.*?)</textarea>', html, re.S)
    assert f"{embed}/compact?partner=amnesty-suisse&#34;" in compact.group(1)
    assert "height=&#34;360&#34;" in compact.group(1) and script in compact.group(1)
    assert 'name="partner" type="text" dir="auto" value="amnesty-suisse"' in html
    # The script partners include is served from its stable address.
    served = client.get("/static/js/embed-parent.js")
    assert served.status_code == 200 and "javascript" in served.mimetype


# -- in a browser: a partner's page on another origin -----------------------------------


def _partner_page(embed_url: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>A partner organisation</title></head><body>"
        "<h1>A partner organisation</h1><p>We support this call. Sign it here:</p>"
        f'<iframe src="{embed_url}" title="Sign the call" width="520" height="1100">'
        "</iframe></body></html>"
    )


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
    with StaticSite() as partner:
        partner.pages["partner.html"] = _partner_page(embed_url)
        page.goto(partner.url("partner.html"))
        frame = page.frame_locator("iframe")
        assert "mettez fin aux cyberattaques" in frame.locator("h1").inner_text()
        screenshot(page, artifacts / "embed-partner-page-fr.png", full_page=True)
        frame.get_by_label("Nom complet").fill("Gisèle Halimi")
        frame.get_by_label("Adresse e-mail").fill("gisele@example.org")
        frame.get_by_label("Pays de résidence").select_option("FR")
        frame.get_by_label("J’ai lu la déclaration de confidentialité").check()
        frame.get_by_role("button", name="Signer l’appel").click()
        frame.get_by_role("heading", name="Consultez votre messagerie").wait_for()
        # The partner's page stayed; only the frame moved on.
        assert page.url == partner.url("partner.html")
        screenshot(page, artifacts / "embed-check-email-fr.png", full_page=True)

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
    page.get_by_role("button", name="Copiar el código", exact=True).click()
    page.get_by_role("status").filter(has_text="El código se ha copiado.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code
    context.close()

    without_script = browser.new_context(java_script_enabled=False)
    page = without_script.new_page()
    page.goto(url)
    assert page.get_by_role("button", name="Copiar el código", exact=True).count() == 0
    page.locator("details.share-embed > summary").click()  # a details opens without script
    expect(page.get_by_label("Código para copiar en su página")).to_be_visible()
    without_script.close()
