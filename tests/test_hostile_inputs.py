"""Hostile input against the public forms and links: exact outcomes, nothing stored wrongly.

Each case says what the response must be and what must (or must not) be in the
database afterwards. Organiser forms have their own cases beside their tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import OutboxMessage, Petition, Signature
from campaign.tokens import Purpose

from .helpers.app import SECRET_KEY
from .helpers.journey import (
    CSRF,
    FORM_TOKEN,
    aged_token,
    form_token,
    links_in,
    local_path,
    send_outbox,
)


@dataclass
class Case:
    id: str
    fields: dict
    status: int
    message: str = ""
    stored_name: str | None = None  # the name stored, when the signature is accepted
    stored_email: str | None = None
    raw_body: bytes | None = None  # sent as is (for invalid UTF-8)
    headers: dict = field(default_factory=dict)


ACCEPTED = 303
FIELD_ERROR = 422
TOKEN_ERROR = 400

SIGN_CASES = [
    # Spreadsheet formulas are a person's right to type; exports neutralise them.
    Case(
        "formula-equals",
        {"name": '=HYPERLINK("http://x","y")'},
        ACCEPTED,
        stored_name='=HYPERLINK("http://x","y")',
    ),
    Case("formula-at", {"name": "@SUM(A1:A9)"}, ACCEPTED, stored_name="@SUM(A1:A9)"),
    Case("formula-plus-digits", {"name": "+41 22 555"}, FIELD_ERROR, "Please enter your name."),
    Case("formula-minus-digits", {"name": "-2+3"}, FIELD_ERROR, "Please enter your name."),
    Case(
        "script-tag-name",
        {"name": "<script>alert(1)</script>"},
        ACCEPTED,
        stored_name="<script>alert(1)</script>",
    ),
    Case(
        "img-onerror-name",
        {"name": "<img src=x onerror=alert(1)>"},
        ACCEPTED,
        stored_name="<img src=x onerror=alert(1)>",
    ),
    Case(
        "header-injection-crlf",
        {"name": "Eve\r\nBcc: victim@example.org"},
        FIELD_ERROR,
        "on one line",
    ),
    Case("header-injection-lf", {"name": "Eve\nSubject: hi"}, FIELD_ERROR, "on one line"),
    Case("nul-byte", {"name": "Ada\x00Lovelace"}, FIELD_ERROR, "on one line"),
    Case("bell-control", {"name": "Ada\x07"}, FIELD_ERROR, "on one line"),
    Case("tab-folded", {"name": "Ada\tLovelace"}, ACCEPTED, stored_name="Ada Lovelace"),
    Case("spaces-folded", {"name": "  Ada    Lovelace  "}, ACCEPTED, stored_name="Ada Lovelace"),
    Case("overlong-name", {"name": "A" * 121}, FIELD_ERROR, "120 characters"),
    Case("longest-name", {"name": "A" * 120}, ACCEPTED, stored_name="A" * 120),
    Case("empty-name", {"name": "   "}, FIELD_ERROR, "Please enter your name."),
    Case("punctuation-only", {"name": "!!!"}, FIELD_ERROR, "Please enter your name."),
    Case("zero-width-space", {"name": "A\u200bda"}, ACCEPTED, stored_name="Ada"),
    Case("zero-width-joiner", {"name": "Ad\u200da"}, ACCEPTED, stored_name="Ada"),
    Case("bidi-override", {"name": "\u202eAda"}, ACCEPTED, stored_name="Ada"),
    Case("bom-in-name", {"name": "\ufeffAda"}, ACCEPTED, stored_name="Ada"),
    Case("homoglyph-cyrillic-a", {"name": "\u0410da Lovelace"}, FIELD_ERROR, "one alphabet"),
    Case("homoglyph-greek-o", {"name": "B\u03bfb"}, FIELD_ERROR, "one alphabet"),
    Case("cyrillic-name", {"name": "Анна Каренина"}, ACCEPTED, stored_name="Анна Каренина"),
    Case("arabic-name", {"name": "محمد البرادعي"}, ACCEPTED, stored_name="محمد البرادعي"),
    Case("chinese-name", {"name": "陈冯富珍"}, ACCEPTED, stored_name="陈冯富珍"),
    Case("devanagari-name", {"name": "कैलाश सत्यार्थी"}, ACCEPTED, stored_name="कैलाश सत्यार्थी"),
    Case("scripts-side-by-side", {"name": "Wang 王"}, ACCEPTED, stored_name="Wang 王"),
    Case("decomposed-accent", {"name": "Jose\u0301"}, ACCEPTED, stored_name="José"),
    Case(
        "email-crlf",
        {"email": "a@example.org\r\nBcc: b@example.org"},
        FIELD_ERROR,
        "valid email address",
    ),
    Case(
        "email-display-name", {"email": "Ada <ada@example.org>"}, FIELD_ERROR, "valid email address"
    ),
    Case("email-no-domain-dot", {"email": "ada@localhost"}, FIELD_ERROR, "valid email address"),
    Case("email-overlong", {"email": "a" * 250 + "@example.org"}, FIELD_ERROR, "too long"),
    Case(
        "email-zero-width",
        {"email": "a\u200bda@example.org"},
        ACCEPTED,
        stored_email="ada@example.org",
    ),
    Case("email-script", {"email": "<script>@example.org"}, FIELD_ERROR, "valid email address"),
    # Before the @, only a server with SMTPUTF8 can deliver (MAIL_SMTPUTF8, off here); the
    # domain travels as IDNA whatever the server.
    Case("email-smtputf8-local", {"email": "jösé@example.net"}, FIELD_ERROR, "before the @"),
    Case(
        "email-idn-domain",
        {"email": "ada@bücher.example"},
        ACCEPTED,
        stored_email="ada@bücher.example",
    ),
    Case("country-lowercase", {"country": "ch"}, FIELD_ERROR, "from the list"),
    Case("country-unknown", {"country": "ZZ"}, FIELD_ERROR, "from the list"),
    Case("country-markup", {"country": "<b>CH</b>"}, FIELD_ERROR, "from the list"),
    Case("country-missing", {"country": None}, FIELD_ERROR, "country of residence"),
    Case("consent-missing", {"consent": None}, FIELD_ERROR, "agree to the privacy notice"),
    Case(
        "invalid-utf8-name",
        {},
        TOKEN_ERROR,
        "could not be read",
        raw_body=b"name=%FF%FE&email=ada%40example.org&country=CH&consent=y",
    ),
    Case(
        "invalid-utf8-email",
        {},
        TOKEN_ERROR,
        "could not be read",
        raw_body=b"name=Ada&email=%C3%28%40example.org&country=CH&consent=y",
    ),
    Case(
        "raw-latin1-byte",
        {},
        TOKEN_ERROR,
        "could not be read",
        raw_body=b"name=Ad\xe9le&email=ada%40example.org&country=CH&consent=y",
    ),
    Case("missing-token", {"form_token": None}, TOKEN_ERROR, "missing its security token"),
    Case("garbage-token", {"form_token": "garbage"}, TOKEN_ERROR, "could not be verified"),
    Case("foreign-origin", {}, 403, "another site", headers={"Origin": "https://evil.example"}),
    Case("null-origin", {}, 403, "another site", headers={"Origin": "null"}),
    Case("cross-site-fetch", {}, 403, "another site", headers={"Sec-Fetch-Site": "cross-site"}),
]


def rows(app):
    with app.app_context():
        return (
            list(db.session.scalars(select(Signature))),
            list(db.session.scalars(select(OutboxMessage))),
        )


@pytest.mark.parametrize("case", SIGN_CASES, ids=[c.id for c in SIGN_CASES])
def test_sign_form_against_hostile_input(app, client, petition, case: Case):
    slug = petition["slug"]
    data = {
        "name": "Ada",
        "email": "ada@example.org",
        "country": "CH",
        "consent": "y",
        "form_token": form_token(client, slug),
    }
    data.update(case.fields)
    data = {k: v for k, v in data.items() if v is not None}
    if case.raw_body is not None:
        body = case.raw_body + b"&form_token=" + data["form_token"].encode()
        response = client.post(
            f"/petitions/{slug}/sign",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", **case.headers},
        )
    else:
        response = client.post(f"/petitions/{slug}/sign", data=data, headers=case.headers)

    assert response.status_code == case.status
    signatures, messages = rows(app)
    if case.status == ACCEPTED:
        [signature] = signatures
        assert signature.name == (case.stored_name or "Ada")
        assert signature.email == (case.stored_email or "ada@example.org")
        [message] = messages
        # Whatever the name, it is escaped in the HTML email and cannot add a header.
        assert "<script>" not in message.body_html and "<img" not in message.body_html
        assert "\n" not in message.to_name and "\r" not in message.to_name
    else:
        assert case.message in response.get_data(as_text=True)
        assert signatures == [] and messages == []
    assert response.status_code != 500


def test_hostile_name_is_escaped_on_every_page_and_in_both_email_parts(app, client, smtp, petition):
    from .helpers.journey import sign

    sign(client, petition["slug"], name="<b onmouseover=alert(1)>Eve</b>")
    send_outbox(app)
    message = smtp.messages[-1]
    html = message.get_body(("html",)).get_content()
    assert "&lt;b onmouseover=alert(1)&gt;Eve&lt;/b&gt;" in html
    [recipient] = message["To"].addresses  # the name is quoted, not read as an address
    assert recipient.addr_spec == "ada@example.org"
    assert recipient.display_name == "<b onmouseover=alert(1)>Eve</b>"


# -- confirmation links ------------------------------------------------------------------


@pytest.fixture
def pending(app, client, smtp, petition):
    from .helpers.journey import sign

    sign(client, petition["slug"])
    send_outbox(app)
    [link] = links_in(smtp.messages[-1])
    with app.app_context():
        public_id = db.session.scalars(select(Signature)).one().public_id
    return {"path": local_path(link), "public_id": public_id}


def count(app, petition) -> int:
    with app.app_context():
        return db.session.get(Petition, petition["id"]).signature_count


LINK_CASES = {
    "tampered-signature": lambda p: p["path"][:-3] + "xyz",
    "tampered-payload": lambda p: p["path"].replace("/confirm/", "/confirm/A"),
    "expired": lambda p: (
        "/petitions/confirm/" + aged_token(Purpose.CONFIRM, p["public_id"], 40 * 86400)
    ),
    "other-purpose": lambda p: (
        "/petitions/confirm/" + aged_token(Purpose.UNSUBSCRIBE, p["public_id"], 0)
    ),
    "email-as-payload": lambda p: (
        "/petitions/confirm/" + aged_token(Purpose.CONFIRM, {"email": "ada@example.org"}, 0)
    ),
    "unknown-id": lambda p: "/petitions/confirm/" + aged_token(Purpose.CONFIRM, "nobody", 0),
    "wrong-key": lambda p: (
        "/petitions/confirm/" + aged_token(Purpose.CONFIRM, p["public_id"], 0, key="someone-else")
    ),
    "path-traversal": lambda p: "/petitions/confirm/..%2F..%2Fetc%2Fpasswd",
    "dot-segments": lambda p: "/petitions/confirm/../../etc/passwd",
    "overlong-token": lambda p: "/petitions/confirm/" + "A" * 5000,
}
# A genuine token whose submission does not exist (discarded, deleted) is gone, not broken.
EXPECTED_STATUS = {"expired": 410, "unknown-id": 410}


@pytest.mark.parametrize("name", list(LINK_CASES))
def test_confirm_link_against_hostile_tokens(app, client, petition, pending, name):
    path = LINK_CASES[name](pending)
    get = client.get(path)
    assert get.status_code == EXPECTED_STATUS.get(name, 404)
    assert "Confirm my signature" not in get.get_data(as_text=True)
    post = client.post(path, data={})
    assert post.status_code == EXPECTED_STATUS.get(name, 404)
    assert count(app, petition) == 0


def test_confirm_post_without_or_with_a_wrong_csrf_token(app, client, petition, pending):
    client.get(pending["path"])  # the page sets the session
    for data in (
        {},
        {"csrf_token": "forged"},
        {"csrf_token": aged_token(Purpose.SIGN_FORM, 1, 0, key=SECRET_KEY)},
    ):
        response = client.post(pending["path"], data=data)
        assert response.status_code == 400
        assert "press the button again" in response.get_data(as_text=True)
    assert count(app, petition) == 0


def test_replayed_confirmation_counts_once(app, client, petition, pending):
    page = client.get(pending["path"])
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    statuses = [client.post(pending["path"], data={"csrf_token": token}) for _ in range(3)]
    assert [response.status_code for response in statuses] == [303, 200, 200]
    assert "already confirmed" in statuses[-1].get_data(as_text=True)
    assert count(app, petition) == 1


def test_withdraw_link_does_not_accept_a_confirm_token(app, client, petition, pending):
    for page in ("/withdraw/", "/signature/"):
        path = pending["path"].replace("/confirm/", page)
        assert client.get(path).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(Signature)).one().email == "ada@example.org"


@pytest.mark.parametrize(
    "path",
    [
        "/petitions/..%2F..%2Fetc%2Fpasswd",
        "/petitions/../../etc/passwd",
        "/static/..%2F..%2Fcampaign%2Fconfig.py",
        "/static/../campaign/config.py",
        "/petitions/CALL-TO-GOVERNMENTS",
        "/petitions/call_to_governments.json",
    ],
)
def test_paths_from_user_input_never_reach_the_file_system(client, petition, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "SECRET_KEY" not in response.get_data(as_text=True)


# -- where a signer came from: a link's ?ref=, an embed's ?partner= ----------------------
# A ref is a short slug (lower-case letters, digits, - and _, up to 40 characters); anything
# else is recorded as none. A partner's name is normalised (petitions/partners.py): lower
# case, letters of any script, digits, ".", "_" and "-", up to 64. Either way the signature
# is taken all the same, and the raw value is never shown.

SOURCE_CASES = {  # what was sent: (the ref recorded, the partner recorded)
    "slug": ("newsletter-june", ("newsletter-june", "newsletter-june")),
    "longest": ("a" * 40, ("a" * 40, "a" * 40)),
    "digits-underscore": ("2026_q1-x", ("2026_q1-x", "2026_q1-x")),
    "overlong": ("a" * 41, (None, "a" * 41)),
    "huge": ("a" * 5000, (None, "a" * 64)),
    "empty": ("", (None, None)),
    "upper-case": ("Newsletter", (None, "newsletter")),
    "space": ("news letter", (None, "news-letter")),
    "trailing-newline": ("newsletter\n", (None, "newsletter")),
    "crlf-header": ("news\r\nSet-Cookie: x=1", (None, "news-set-cookie-x-1")),
    "nul": ("news\x00letter", (None, "news-letter")),
    "markup": ('"><script>alert(1)</script>', (None, "script-alert-1-script")),
    "sql": ("x' OR '1'='1", (None, "x-or-1-1")),
    "dot-segments": ("../../etc/passwd", (None, "etc-passwd")),
    "url": ("https://evil.example/", (None, "https-evil.example")),
    "percent-escape": ("news%20", (None, "news-20")),
    "accent": ("\u00e9t\u00e9", (None, "\u00e9t\u00e9")),
    "fullwidth": ("\uff4e\uff45\uff57\uff53", (None, "\uff4e\uff45\uff57\uff53")),
    "bidi-override": ("\u202enews", (None, "news")),
    "zero-width": ("news\u200b", (None, "news")),
    "dotless-i": ("\u0131nfo", (None, "\u0131nfo")),
}


@pytest.mark.parametrize("name", list(SOURCE_CASES))
def test_a_hostile_ref_or_partner_is_recorded_as_none_and_the_signature_taken(
    app, client, petition, name
):
    value, (ref, partner) = SOURCE_CASES[name]
    slug = petition["slug"]
    fields = {"name": "Ada", "email": "ada@example.org", "country": "CH", "consent": "y"}
    signed = client.post(
        f"/petitions/{slug}/sign",
        data={**fields, "form_token": form_token(client, slug), "ref": value},
    )
    embed = client.get(f"/petitions/{slug}/embed").get_data(as_text=True)
    token = FORM_TOKEN.search(embed).group(1)
    embedded = client.post(
        f"/petitions/{slug}/embed/sign?{urlencode({'partner': value})}",
        data={**fields, "email": "bob@example.org", "form_token": token, "ref": value},
    )
    assert (signed.status_code, embedded.status_code) == (303, 303)
    with app.app_context():
        recorded = db.session.execute(
            select(Signature.email, Signature.ref, Signature.partner).order_by(Signature.email)
        ).all()
    assert recorded == [("ada@example.org", ref, None), ("bob@example.org", ref, partner)]


@pytest.mark.parametrize("name", list(SOURCE_CASES))
def test_a_hostile_ref_in_the_address_is_never_carried_nor_shown(client, petition, name):
    value, (ref, _partner) = SOURCE_CASES[name]
    query = urlencode({"ref": value, "partner": value})
    for path in (f"/petitions/{petition['slug']}", f"/es/petitions/{petition['slug']}/embed"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        hidden = re.findall(r'<input id="(\w+)" name="\1" type="hidden" value="([^"]*)">', html)
        assert [field for field in hidden if field[0] != "form_token"] == (
            [("ref", ref)] if ref else []
        )
        assert "<script>alert(1)" not in html and "Set-Cookie: x=1" not in html
        assert "Set-Cookie" not in response.headers  # a source is never kept in a cookie


@pytest.mark.parametrize("query", ["?ref=a&ref=b", "?ref=%FF%FE", "?ref", "?ref[]=a", "?ref=%00"])
def test_odd_ref_queries_never_fail(client, petition, query):
    response = client.get(f"/petitions/{petition['slug']}{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    expected = '<input id="ref" name="ref" type="hidden" value="a">' if "ref=a&" in query else ""
    assert expected in html
    if not expected:
        assert 'name="ref"' not in html


# -- the signer's own page and the "check your email" page ------------------------------

SIGNATURE_PAGE_CASES = {
    "tampered": lambda p: "/petitions/signature/" + _signature_token(p)[:-3] + "xyz",
    "confirm-token": lambda p: p["path"].replace("/confirm/", "/signature/"),
    "email-as-payload": lambda p: (
        "/petitions/signature/" + aged_token(Purpose.SIGNATURE, {"email": "ada@example.org"}, 0)
    ),
    "list-payload": lambda p: "/petitions/signature/" + aged_token(Purpose.SIGNATURE, [1], 0),
    "overlong": lambda p: "/petitions/signature/" + "A" * 5000,
    "nul": lambda p: "/petitions/signature/%00",
}


def _signature_token(pending: dict) -> str:
    return aged_token(Purpose.SIGNATURE, pending["public_id"], 0)


@pytest.mark.parametrize("name", list(SIGNATURE_PAGE_CASES))
def test_signature_page_against_hostile_tokens(app, client, petition, pending, name):
    path = SIGNATURE_PAGE_CASES[name](pending)
    for response in (client.get(path), client.post(path, data={"submit": "x"})):
        assert response.status_code == 404
        assert "This link does not work" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Signature)).one().email == "ada@example.org"


@pytest.mark.parametrize(
    "form",
    [
        {},  # no button, no token
        {"submit": "x"},  # the withdraw button without the session's token
        {"save": "x", "public": "y", "csrf_token": "forged"},
        {"discard": "\x00", "csrf_token": "\x00"},
    ],
)
def test_signature_page_buttons_need_the_session(app, client, petition, pending, form):
    path = "/petitions/signature/" + _signature_token(pending)
    client.get(path)
    response = client.post(path, data=form)
    assert response.status_code == 400
    assert "press the button again" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Signature)).one().status == "pending"


def test_saving_choices_of_a_pending_submission_changes_nothing(app, client, pending):
    path = "/petitions/signature/" + _signature_token(pending)
    page = client.get(path).get_data(as_text=True)
    assert "Save my choices" not in page  # only a confirmed signer chooses how they appear
    token = CSRF.search(page).group(1)
    response = client.post(path, data={"csrf_token": token, "save": "x", "public": "y"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(Signature)).one().public is False


@pytest.mark.parametrize(
    "query",
    ["", "?s=", "?s=nonsense", "?s=" + "A" * 5000, "?s=%00", "?s=a&s=b", "?s=%FF%FE"],
)
def test_check_email_page_with_hostile_parameters(client, petition, pending, query):
    response = client.get(f"/petitions/{petition['slug']}/check-email{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Check your email" in html and "ada@example.org" not in html


# -- a government's delivery package link -------------------------------------------------

DELIVERY_LINK_CASES = {
    "garbage": "/deliveries/not-a-token",
    "overlong": "/deliveries/" + "A" * 5000,
    "nul": "/deliveries/%00",
    "dot-segments": "/deliveries/..%2F..%2Fetc%2Fpasswd",
    "other-purpose": "/deliveries/" + aged_token(Purpose.CONFIRM, [1, "x"], 0),
    "wrong-key": "/deliveries/"
    + aged_token(Purpose.DELIVERY_PACKAGE, [1, "x"], 0, key="someone-else"),
    "string-payload": "/deliveries/" + aged_token(Purpose.DELIVERY_PACKAGE, "x", 0),
    "email-as-payload": "/deliveries/"
    + aged_token(Purpose.DELIVERY_PACKAGE, {"email": "office@gov.example"}, 0),
    "short-list": "/deliveries/" + aged_token(Purpose.DELIVERY_PACKAGE, [1], 0),
    "bool-id": "/deliveries/" + aged_token(Purpose.DELIVERY_PACKAGE, [True, "x"], 0),
    "text-id": "/deliveries/" + aged_token(Purpose.DELIVERY_PACKAGE, ["1", "x"], 0),
    "huge-id": "/deliveries/" + aged_token(Purpose.DELIVERY_PACKAGE, [10**30, "x"], 0),
    "unknown": "/deliveries/" + aged_token(Purpose.DELIVERY_PACKAGE, [1, "nobody"], 0),
    "post": "/deliveries/" + aged_token(Purpose.DELIVERY_PACKAGE, [1, "nobody"], 0),
}


@pytest.mark.parametrize("name", list(DELIVERY_LINK_CASES))
def test_delivery_package_link_against_hostile_tokens(client, petition, name):
    path = DELIVERY_LINK_CASES[name]
    response = client.post(path, data={}) if name == "post" else client.get(path)
    assert response.status_code == (405 if name == "post" else 404)
    assert response.mimetype == "text/html"
    if name not in ("post", "dot-segments"):  # those two never reach the view
        assert "This link does not work" in response.get_data(as_text=True)


def test_an_expired_delivery_link_naming_nothing_is_still_only_expired(client, petition):
    old = aged_token(Purpose.DELIVERY_PACKAGE, [1, "nobody"], 400 * 86400)
    response = client.get(f"/deliveries/{old}")
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)


# -- the back office's lists: every search, filter, date and page number ------------------
# Whatever is typed or edited into a list's address (or its search form) gets a page with
# a message, never an error. PostgreSQL refuses a NUL byte in text and integers beyond
# 2^63 where SQLite shrugs, so this part must pass there too:
#   TEST_DATABASE_URL=<bin/pg-scratch's URL> python -m pytest tests/test_hostile_inputs.py

HOSTILE_VALUES = {  # sent as is in the query string (already per-cent encoded)
    "year-1": "0001-01-01",
    "year-9999": "9999-12-31T23:59",
    "february-30": "2026-02-30",
    "word-date": "yesterday",
    "zero": "0",
    "negative": "-1",
    "beyond-2-63": "99999999999999999999",
    "exponent": "1e9",
    "letters": "abc",
    "nul": "a%00b",
    "long": "x" * 10_000,
    "lone-surrogate": "%ED%A0%80",  # U+D800 as UTF-8 would write it: not valid UTF-8
    "invalid-percent": "%FF%FE",
    "broken-percent": "%zz%",
}

SEARCH = ("name", "email", "domain", "ip", "country", "status", "validity", "since", "until")
# list: (address, role, the fields it reads, what the list itself says when it answers)
BACKOFFICE_LISTS = {
    "moderation-search": (
        "/organiser/calls/{petition}/signatures",
        "moderator",
        (*SEARCH, "page"),
        "match",
    ),
    "bulk-rule": (
        "/organiser/calls/{petition}/signatures/bulk?action=invalidate&name=Ada",
        "moderator",
        SEARCH,
        "would be invalidated",
    ),
    "review-queue": ("/organiser/calls/{petition}/review", "moderator", ("page",), "waiting"),
    "audit-log": ("/organiser/audit", "admin", ("page",), "entries"),
    "promote-search": (
        "/organiser/calls/{petition}/notables/promote",
        "editor",
        ("name", "page"),
        "Promote a signature",
    ),
    "record-delivery": (
        "/organiser/calls/{petition}/deliveries/new?country=CH",
        "editor",
        ("country", "package"),
        "Record a delivery to Switzerland",
    ),
    # Lists that read nothing from the address: whatever is added there is ignored.
    "notables": ("/organiser/calls/{petition}/notables", "editor", ("page", "q"), "Notable"),
    "updates": ("/organiser/calls/{petition}/updates", "editor", ("page", "q"), "Updates"),
    "governments": ("/organiser/calls/{petition}/governments", "editor", ("page",), "Switzerland"),
    "deliveries": ("/organiser/calls/{petition}/deliveries", "editor", ("page",), "Deliver"),
    "blocklist": ("/organiser/blocklist", "moderator", ("page",), "Blocklists"),
    "exports": ("/organiser/exports/{slug}/delivery", "admin", ("page",), "package"),
}

# What each kind of field says about each hostile value (None: the value is read as a
# search and the list answers; any other message is then fine too).
TEXT_MESSAGES = {
    "nul": "control characters",
    "long": "longer than",
    "lone-surrogate": "could not be read",
    "invalid-percent": "could not be read",
}
PAGE_NOT_VALID = "The page number in the address is not valid: this is the first page."


def _expected(list_name: str, field: str, value: str) -> str | None:
    if field == "page" and list_name in ("moderation-search", "review-queue", "audit-log"):
        return "There is only 1 page" if value == "beyond-2-63" else PAGE_NOT_VALID
    if field == "page" and list_name == "promote-search":
        return "There is only 1 page" if value == "beyond-2-63" else PAGE_NOT_VALID
    if field in ("since", "until"):
        return None if value in ("year-1", "year-9999") else "Not a valid datetime value"
    if field in ("status", "validity"):
        return "Not a valid choice"
    if field == "country" and list_name == "record-delivery":
        return "Please choose a government from the list."
    if field == "country" and value == "long":
        return "Enter a two-letter country code"
    if field in ("name", "email", "domain", "ip", "country"):
        return TEXT_MESSAGES.get(value)
    return None  # read by no one: the list as usual


@pytest.fixture
def backoffice_world(app, petition) -> dict:
    """Signatures to search, a suspect one, an audit entry and a package to record."""
    import hashlib

    from campaign.models import AuditEntry, DeliveryPackage

    from .helpers.backoffice import add_signature

    with app.app_context():
        add_signature(petition["id"], "ada@example.org", name="Ada", public=True)
        add_signature(petition["id"], "bot@example.org", name="Bot", validity="suspect")
        db.session.add(AuditEntry(action="test", target_type="petition", target_id="1"))
        db.session.add(
            DeliveryPackage(
                petition_id=petition["id"],
                recipient_country="CH",
                signature_count=1,
                language="en",
                mode="names",
                manifest_sha256=hashlib.sha256(b"{}").hexdigest(),
                zip_name="call-to-governments-CH-20260101-000000.zip",
            )
        )
        db.session.commit()
    return {"petition": petition["id"], "slug": petition["slug"]}


def _with(path: str, field: str, raw: str) -> str:
    """``path`` with ``field`` set to ``raw`` (replacing the field if the path has it)."""
    base, _, query = path.partition("?")
    pairs = [pair for pair in query.split("&") if pair and pair.split("=")[0] != field]
    return base + "?" + "&".join([*pairs, f"{field}={raw}"])


def _visible_message(html: str, expected: str | None, list_says: str) -> bool:
    if expected is not None:
        return expected in html
    return list_says in html or 'class="error-summary"' in html or "org-message" in html


@pytest.mark.parametrize("value", list(HOSTILE_VALUES))
@pytest.mark.parametrize("list_name", list(BACKOFFICE_LISTS))
def test_backoffice_lists_answer_hostile_queries_with_a_message(
    as_role, backoffice_world, organisers, list_name, value
):
    path, role, fields, list_says = BACKOFFICE_LISTS[list_name]
    client = as_role(role)
    for name in fields:
        url = _with(path.format(**backoffice_world), name, HOSTILE_VALUES[value])
        response = client.get(url, follow_redirects=True)
        assert response.status_code < 500, (name, response.status_code)
        assert response.status_code in (200, 422), (name, response.status_code)
        html = response.get_data(as_text=True)
        expected = _expected(list_name, name, value)
        assert _visible_message(html, expected, list_says), (name, expected)


@pytest.mark.parametrize("value", list(HOSTILE_VALUES))
def test_the_privacy_lookup_answers_hostile_addresses_with_a_message(
    as_role, backoffice_world, value
):
    from .helpers.backoffice import csrf_token

    admin = as_role("admin")
    token = csrf_token(admin, "/organiser/privacy")
    response = admin.post(
        "/organiser/privacy",
        data=f"csrf_token={token}&email={HOSTILE_VALUES[value]}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
    assert 'class="error-summary"' in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["1", "2", "3", "99999999999999999999"])
def test_a_page_past_the_end_shows_the_last_page(app, as_role, petition, page):
    from .helpers.backoffice import add_signature

    with app.app_context():
        for n in range(60):
            add_signature(petition["id"], f"held{n}@example.org", validity="suspect")
        db.session.commit()
    html = (
        as_role("moderator")
        .get(f"/organiser/calls/{petition['id']}/review?page={page}")
        .get_data(as_text=True)
    )
    shown = 1 if page == "1" else 2
    assert f"Page {shown} of 2" in html
    assert html.count("/release") == (50 if shown == 1 else 10)
    assert ("There are only 2 pages: this is the last one." in html) == (page not in ("1", "2"))


# -- sending an update: the number typed, the time, the audience -----------------------

TYPED_NUMBERS = {
    "empty": ("", "Please type the number of people who will receive it."),
    "negative": ("-1", "Please type the number shown above, in digits."),
    "exponent": ("1e9", "Please type the number shown above, in digits."),
    "twenty-digits": ("9" * 20, "Please type the number shown above, in digits."),
    "nul": ("1\x00", "Please type the number shown above, in digits."),
    "spaces-only": ("   ", "Please type the number of people who will receive it."),
    "another-number": ("2", "You typed 2, but the update would go to 1 person."),
}
SEND_TIMES = {
    "february-30": ("2026-02-30T10:00", "Not a valid datetime value"),
    "word": ("tomorrow", "Not a valid datetime value"),
    "nul": ("2030-01-01T10:00\x00", "Not a valid datetime value"),
    "year-1": ("0001-01-01T00:00", "This time has already passed"),
    "far-past": ("2000-01-01T00:00", "This time has already passed"),
    "far-future": ("2100-01-01T00:00", "Please choose a time within the next year."),
    "year-9999": ("9999-12-31T23:59", "Please choose a time within the next year."),
}


@pytest.fixture
def update_page(app, as_role, petition) -> tuple:
    """A draft update to one supporter, and an editor on its page."""
    from .helpers.backoffice import add_signature
    from .updates.test_updates import write_update

    with app.app_context():
        add_signature(petition["id"], "ana@example.org", updates=True, country="CH")
        db.session.commit()
    editor = as_role("editor")
    return editor, write_update(editor, petition["id"])


def _update_status(app) -> tuple[str, int]:
    from campaign.models import SupporterUpdate

    with app.app_context():
        queued = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "update")
        )
        return db.session.scalar(select(SupporterUpdate.status)), queued


@pytest.mark.parametrize("case", list(TYPED_NUMBERS))
def test_a_hostile_typed_number_sends_nothing(app, update_page, case):
    from .updates.helpers import confirm_send

    editor, page = update_page
    typed, message = TYPED_NUMBERS[case]
    response = confirm_send(editor, page, typed=typed)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _update_status(app) == ("draft", 0)


@pytest.mark.parametrize("case", list(SEND_TIMES))
def test_a_hostile_send_time_schedules_nothing(app, update_page, case):
    from .updates.helpers import confirm_send

    editor, page = update_page
    value, message = SEND_TIMES[case]
    response = confirm_send(editor, page, typed="1", send_at=value)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _update_status(app) == ("draft", 0)


@pytest.mark.parametrize(
    "fields",
    [
        {"countries": "XX"},
        {"countries": "<script>"},
        {"languages": "fr\x00"},
        {"languages": "x" * 500},
    ],
)
def test_a_hostile_audience_is_refused(app, update_page, fields):
    from campaign.models import SupporterUpdate

    from .helpers.backoffice import csrf_token

    editor, page = update_page
    token = csrf_token(editor, page + "/send")
    response = editor.post(page + "/audience", data={"csrf_token": token, **fields})
    assert response.status_code == 422
    assert "not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(SupporterUpdate.target_countries)) is None
        assert db.session.scalar(select(SupporterUpdate.target_languages)) is None


# -- the team's forms: invitations, forgotten passwords, the links that set a password ----

INVITE_CASES = [
    # (id, fields, status, message on the page, account stored under this address or None)
    ("name-header-injection", {"name": "Ada\r\nBcc: all@example.org"}, 422, "on one line", None),
    ("name-nul", {"name": "Ada\x00"}, 422, "on one line", None),
    ("name-too-long", {"name": "A" * 201}, 422, "at most 200", None),
    ("name-script", {"name": "<script>alert(1)</script>"}, 303, "", "new@example.org"),
    ("email-header-injection", {"email": "new@example.org\r\nBcc: x@y.org"}, 422, "", None),
    ("email-two-addresses", {"email": "new@example.org, x@y.org"}, 422, "name@example.org", None),
    ("email-too-long", {"email": "a" * 320 + "@example.org"}, 422, "", None),
    ("email-empty", {"email": ""}, 422, "Enter the email address", None),
    ("role-unknown", {"role": "owner"}, 422, "", None),
    ("role-empty", {"role": ""}, 422, "Choose a role", None),
    ("role-list", {"role": ["admin", "editor"]}, 303, "", "new@example.org"),
]


@pytest.mark.parametrize(
    ("case", "fields", "status", "message", "stored"),
    INVITE_CASES,
    ids=[c[0] for c in INVITE_CASES],
)
def test_invitation_form_against_hostile_input(
    app, as_role, smtp, case, fields, status, message, stored
):
    from campaign.models import Organiser

    admin = as_role("admin")
    data = {"email": "new@example.org", "role": "editor", "name": "", **fields}
    token = CSRF.search(admin.get("/organiser/accounts/invite").get_data(as_text=True)).group(1)
    response = admin.post("/organiser/accounts/invite", data={"csrf_token": token, **data})
    assert response.status_code == status, case
    assert message in response.get_data(as_text=True)
    with app.app_context():
        invited = db.session.scalars(
            select(Organiser.email).where(Organiser.invited_at.isnot(None))
        )
        assert list(invited) == ([stored] if stored else [])
        queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        assert queued == (1 if stored else 0)
    if stored:
        send_outbox(app)
        [sent] = smtp.messages
        assert "\n" not in sent["To"] and "Bcc" not in str(sent)
        assert "<script>" not in sent.get_body(("html",)).get_content()


FORGOT_CASES = [
    ("header-injection", "editor@example.org\r\nBcc: x@y.org", 422),
    ("nul", "editor@example.org\x00", 422),  # PostgreSQL would refuse the query
    ("huge", "a" * 5000 + "@example.org", 422),
    ("empty", "", 422),
    ("sql", "' OR 1=1 --", 200),
    ("wildcard", "%@example.org", 200),
]


@pytest.mark.parametrize(
    ("email", "status"), [c[1:] for c in FORGOT_CASES], ids=[c[0] for c in FORGOT_CASES]
)
def test_forgotten_password_form_against_hostile_input(app, organisers, smtp, email, status):
    """Whatever is typed: the same answer or a form error, and no email to anyone."""
    client = app.test_client()
    token = CSRF.search(client.get("/organiser/forgot-password").get_data(as_text=True)).group(1)
    response = client.post("/organiser/forgot-password", data={"csrf_token": token, "email": email})
    assert response.status_code == status
    if status == 200:
        assert "If an account exists for this address" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


HOSTILE_LINK_TOKENS = {
    "traversal": "..%2F..%2Fetc%2Fpasswd",
    "huge": "A" * 5000,
    "dots": "a.b.c",
    "script": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "nul": "%00",
    "unicode": "%C3%A9t%C3%A9",
}


@pytest.mark.parametrize("kind", ["invitation", "reset-password"])
@pytest.mark.parametrize("name", sorted(HOSTILE_LINK_TOKENS))
def test_team_links_against_hostile_tokens(client, organisers, kind, name):
    response = client.get(f"/organiser/{kind}/{HOSTILE_LINK_TOKENS[name]}")
    # A token with a "/" matches no route: the site's own 404, as good an answer.
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body


@pytest.mark.parametrize(
    ("password", "confirm", "status"),
    [
        ("x" * 1025, "x" * 1025, 422),
        ("eleven char", "eleven char", 422),
        ("twelve chars", "twelve chars!", 422),
        ("pass\x00word with a nul", "pass\x00word with a nul", 303),
        ("ünïcödé pässwörd 🔑", "ünïcödé pässwörd 🔑", 303),
    ],
    ids=["too-long", "too-short", "mismatch", "nul-byte", "unicode"],
)
def test_new_password_form_against_hostile_input(app, organisers, smtp, password, confirm, status):
    """A password is what the person types: any character, within the CLI's lengths."""
    from campaign.models import Organiser
    from campaign.team import links

    with app.app_context():
        editor = db.session.get(Organiser, organisers["editor"]["id"])
        path = f"/organiser/reset-password/{links.make(Purpose.PASSWORD_RESET, editor)}"
    client = app.test_client()
    token = CSRF.search(client.get(path).get_data(as_text=True)).group(1)
    response = client.post(
        path, data={"csrf_token": token, "password": password, "confirm": confirm}
    )
    assert response.status_code == status
    with app.app_context():
        from werkzeug.security import check_password_hash

        stored = db.session.get(Organiser, organisers["editor"]["id"]).password_hash
        assert check_password_hash(stored, password) == (status == 303)


# -- the receipts' verify page and proof endpoint (campaign/receipts) --------------------

_RECEIPT = {
    "format": "campaign-receipt/1",
    "call": {"slug": "call-to-governments"},
    "public_id": "abcdefghijklmnop",
    "secret": "ab" * 32,
    "country": "CH",
    "confirmed_on": "2026-01-01",
}
VERIFY_CASES = {
    "empty": ("", "Paste your receipt or choose its file."),
    "not-json": ("{not json", "it is not JSON"),
    "json-list": ("[1, 2, 3]", "not a receipt from this site"),
    "json-string": ('"campaign-receipt/1"', "not a receipt from this site"),
    "deep-nesting": ("[" * 5000 + "]" * 5000, "too long"),
    "nul-escaped": (json.dumps({**_RECEIPT, "public_id": "abc\x00defghijklmn"}), "malformed"),
    "nul-raw": ('{"format": "campaign-receipt/1"\x00}', "it is not JSON"),
    "wrong-types": (json.dumps({**_RECEIPT, "secret": 12345, "country": ["CH"]}), "malformed"),
    "secret-not-hex": (json.dumps({**_RECEIPT, "secret": "zz" * 32}), "malformed"),
    "secret-short": (json.dumps({**_RECEIPT, "secret": "ab" * 8}), "malformed"),
    "bad-date": (json.dumps({**_RECEIPT, "confirmed_on": "2026-02-30"}), "malformed"),
    "country-lower": (json.dumps({**_RECEIPT, "country": "ch"}), "malformed"),
    "script-id": (json.dumps({**_RECEIPT, "public_id": "<script>x</script>"}), "malformed"),
    "leaf-mismatch": (json.dumps({**_RECEIPT, "leaf_hash": "00" * 32}), "was altered"),
    "call-not-object": (json.dumps({**_RECEIPT, "call": "x"}), "malformed"),
}


@pytest.mark.parametrize("name", list(VERIFY_CASES))
def test_verify_page_against_hostile_receipts(client, petition, name):
    text, message = VERIFY_CASES[name]
    response = client.post("/petitions/call-to-governments/verify", data={"receipt": text})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "<script>x</script>" not in response.get_data(as_text=True)


def test_verify_page_against_huge_and_binary_uploads(client, petition):
    from io import BytesIO

    huge = client.post("/petitions/call-to-governments/verify", data={"receipt": "x" * 200_000})
    assert huge.status_code == 413
    long_but_allowed = client.post(
        "/petitions/call-to-governments/verify", data={"receipt": "x" * 9000}
    )
    assert long_but_allowed.status_code == 400 and "too long" in long_but_allowed.text
    binary = client.post(
        "/petitions/call-to-governments/verify",
        data={"receipt_file": (BytesIO(b"\xff\xfe\x00\x01" * 100), "receipt.json")},
        content_type="multipart/form-data",
    )
    assert binary.status_code == 400 and "not JSON" in binary.text
    valid = client.post(
        "/petitions/call-to-governments/verify",
        data={"receipt_file": (BytesIO(json.dumps(_RECEIPT).encode()), "receipt.json")},
        content_type="multipart/form-data",
    )
    assert valid.status_code == 200 and "Nothing has been delivered" in valid.text


@pytest.mark.parametrize(
    "path",
    [
        "/petitions/call-to-governments/deliveries/1/proof/not-hex",
        "/petitions/call-to-governments/deliveries/1/proof/" + "a" * 63,
        "/petitions/call-to-governments/deliveries/1/proof/" + "a" * 64 + "%00",
        "/petitions/call-to-governments/deliveries/99999999999999999999/proof/" + "a" * 64,
        "/petitions/call-to-governments/deliveries/-1/proof/" + "a" * 64,
        "/petitions/no-such-call/deliveries/1/proof/" + "a" * 64,
        "/receipts/not-a-token",
    ],
)
def test_proof_endpoint_and_receipt_download_never_fail(client, petition, path):
    assert client.get(path).status_code in (400, 404)


# -- publications: the organisers' forms and the public download ----------------------

SLUG_OK = "annual-report"
BAD_DATE = "Please enter the publication date (YYYY-MM-DD)."
PUBLICATION_CASES = [
    # (id, fields changed from a good form, status, message shown, slug stored or None)
    ("slug-upper-case", {"slug": "Annual-Report"}, 303, "", "annual-report"),
    ("slug-path", {"slug": "../etc/passwd"}, 422, "lower-case letters, digits", None),
    ("slug-accents", {"slug": "rapport-été"}, 422, "lower-case letters, digits", None),
    ("slug-double-hyphen", {"slug": "a--b"}, 422, "lower-case letters, digits", None),
    ("slug-too-long", {"slug": "a" * 101}, 422, "longer than 100 characters", None),
    ("slug-empty", {"slug": ""}, 422, "Please enter the address", None),
    ("slug-nul", {"slug": "report\x00"}, 422, "lower-case letters, digits", None),
    ("title-nul", {"title": "Report\x00"}, 422, "on one line", None),
    ("title-crlf", {"title": "Report\r\nBcc: x@example.org"}, 422, "on one line", None),
    ("title-too-long", {"title": "R" * 301}, 422, "longer than 300 characters", None),
    ("title-script", {"title": "<script>alert(1)</script>"}, 303, "", "annual-report"),
    (
        "summary-html",
        {"summary_markdown": "<img src=x onerror=alert(1)>"},
        303,
        "",
        "annual-report",
    ),
    ("summary-js-link", {"summary_markdown": "[x](javascript:alert(1))"}, 303, "", "annual-report"),
    ("summary-bidi", {"summary_markdown": "abc\u202edef"}, 422, "invisible control", None),
    ("summary-huge", {"summary_markdown": "x" * 20_001}, 422, "longer than 20000 characters", None),
    ("date-impossible", {"published_on": "2021-02-30"}, 422, BAD_DATE, None),
    ("date-far", {"published_on": "99999-01-01"}, 422, BAD_DATE, None),
    ("date-words", {"published_on": "yesterday"}, 422, BAD_DATE, None),
    ("date-empty", {"published_on": ""}, 422, BAD_DATE, None),
    ("language-unknown", {"language": "xx"}, 422, "Not a valid choice", None),
    ("call-unknown", {"petition_id": "999999"}, 422, "Not a valid choice", None),
    ("call-sql", {"petition_id": "1 OR 1=1"}, 422, "Not a valid choice", None),
]


@pytest.mark.parametrize(
    ("fields", "status", "message", "stored"),
    [c[1:] for c in PUBLICATION_CASES],
    ids=[c[0] for c in PUBLICATION_CASES],
)
def test_new_publication_form_against_hostile_input(
    app, as_role, client, fields, status, message, stored
):
    from campaign.models import Publication

    from .publications.helpers import create, pdf_bytes, publication_id, publish, save_texts

    editor = as_role("editor")
    response = create(editor, **fields)
    assert response.status_code == status
    body = response.get_data(as_text=True)
    if message:
        assert message in body
    with app.app_context():
        assert db.session.scalar(select(Publication.slug)) == stored
    if stored is None:
        return
    # Whatever was typed is shown as text on the public page, never as markup.
    pid = publication_id(app, stored)
    save_texts(editor, pid, "fr", (pdf_bytes(), "r.pdf", "application/pdf"))
    publish(editor, pid)
    page = client.get(f"/publications/{stored}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page


def test_a_cover_that_is_not_an_image_is_refused(app, as_role):
    import io

    from .publications.helpers import create

    response = create(as_role("editor"), cover=(io.BytesIO(b"%PDF-1.4 not an image"), "c.png"))
    assert response.status_code == 422
    assert "This file is not a JPEG, PNG or WebP image" in response.get_data(as_text=True)


PUBLICATION_TEXT_CASES = [
    ("title-empty", {"title": ""}, 422, "Please enter a title."),
    ("alt-newline", {"cover_alt": "a\nb"}, 422, "on one line"),
    ("alt-too-long", {"cover_alt": "a" * 301}, 422, "longer than 300 characters"),
    ("title-only-invisible", {"title": "\u200b\u202e"}, 422, "Please enter a title."),
]


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [c[1:] for c in PUBLICATION_TEXT_CASES],
    ids=[c[0] for c in PUBLICATION_TEXT_CASES],
)
def test_publication_texts_form_against_hostile_input(app, as_role, fields, status, message):
    from campaign.models import PublicationTranslation

    from .publications.helpers import create, publication_id, save_texts

    editor = as_role("editor")
    create(editor)
    response = save_texts(editor, publication_id(app), "fr", **fields)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    with app.app_context():
        languages = db.session.scalars(select(PublicationTranslation.language)).all()
        assert languages == ["en"]


def test_a_hostile_file_name_never_names_the_stored_file(app, as_role):
    from campaign.models import StoredFile

    from .publications.helpers import create, pdf_bytes, publication_id, save_texts

    editor = as_role("editor")
    create(editor)
    pdf = (pdf_bytes(), '../../"; rm -rf.pdf\r\nX-Evil: 1', "application/pdf")
    assert save_texts(editor, publication_id(app), "fr", pdf).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(StoredFile.name)) == "annual-report-fr.pdf"


@pytest.mark.parametrize(
    "action", [{"publish": "2"}, {"publish": ""}, {"publish": ["1", "0"]}, {}], ids=str
)
def test_a_hostile_publish_value_changes_nothing(app, as_role, action):
    from campaign.models import Publication

    from .helpers.backoffice import csrf_token
    from .publications.helpers import create, publication_id

    editor = as_role("editor")
    create(editor)
    url = f"/organiser/publications/{publication_id(app)}"
    response = editor.post(f"{url}/publish", data={"csrf_token": csrf_token(editor, url), **action})
    assert response.status_code in (303, 400)
    with app.app_context():
        assert db.session.scalar(select(Publication.status)) == "draft"


@pytest.mark.parametrize(
    "path",
    [
        "/publications/annual-report/download/..%2F..%2Fetc%2Fpasswd",
        "/publications/annual-report/download/fr%00",
        "/publications/annual-report/download/fr%0d%0aX-Evil:%201",
        "/publications/annual-report/download/" + "f" * 5000,
        "/publications/annual-report/download/FR",
        "/publications/annual-report.json%00",
        "/publications/../annual-report",
        "/publications/annual_report",
        "/media/publications/99999999999999999999/abc",
        "/media/publications/1/..%2F..",
    ],
)
def test_hostile_publication_paths_are_a_404(app, as_role, client, path):
    from .publications.helpers import published_report

    published_report(app, as_role)
    response = client.get(path, buffered=True)
    assert response.status_code == 404, path
    assert "X-Evil" not in response.headers


# -- an event's registration form, and the organisers' event forms ----------------------

EVENT_CASES = [
    *[c for c in SIGN_CASES if c.raw_body is None],
    Case("organisation-script", {"organisation": "<script>x</script>"}, ACCEPTED),
    Case(
        "organisation-crlf",
        {"organisation": "Acme\r\nBcc: x@example.org"},
        FIELD_ERROR,
        "on one line",
    ),
    Case("organisation-overlong", {"organisation": "O" * 201}, FIELD_ERROR, "200 characters"),
    Case("organisation-nul", {"organisation": "Acme\x00"}, FIELD_ERROR, "on one line"),
]


def _event_rows(app):
    from campaign.models import EventRegistration

    with app.app_context():
        return (
            list(db.session.scalars(select(EventRegistration))),
            list(db.session.scalars(select(OutboxMessage))),
        )


@pytest.mark.parametrize("case", EVENT_CASES, ids=[c.id for c in EVENT_CASES])
def test_event_registration_form_against_hostile_input(app, client, case: Case):
    from .helpers.events import form_token as event_form_token
    from .helpers.events import make_event

    make_event(app)
    data = {
        "name": "Ada",
        "email": "ada@example.org",
        "country": "CH",
        "consent": "y",
        "form_token": event_form_token(client, "launch"),
    }
    data.update(case.fields)
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post("/events/launch/register", data=data, headers=case.headers)
    assert response.status_code == case.status
    registrations, messages = _event_rows(app)
    if case.status == ACCEPTED:
        [registration] = registrations
        assert registration.name == (case.stored_name or "Ada")
        assert registration.email == (case.stored_email or "ada@example.org")
        [message] = messages
        assert "<script>" not in message.body_html and "<img" not in message.body_html
        assert "\n" not in message.to_name and "\r" not in message.to_name
    else:
        assert case.message in response.get_data(as_text=True)
        assert registrations == [] and messages == []


def test_a_sign_form_token_does_not_register_for_an_event(app, client, petition):
    from .helpers.events import make_event

    make_event(app)
    token = form_token(client, petition["slug"])  # the call's form: its context is the call
    response = client.post(
        "/events/launch/register",
        data={
            "name": "Ada",
            "email": "a@example.org",
            "country": "CH",
            "consent": "y",
            "form_token": token,
        },
    )
    assert response.status_code == 400
    assert "belongs to another page" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "a" * 5000, "..%2f..%2fetc%2fpasswd", "%00", "eyJ0eXAiOiJKV1Qi"],
)
def test_event_links_against_hostile_tokens(app, client, token):
    from .helpers.events import make_event

    make_event(app)
    for path in ("/events/confirm/", "/events/registration/"):
        response = client.get(path + token)
        assert response.status_code in (404, 405, 308), (path, token)
    response = client.post("/events/registration/garbage", data={"cancel": "x"})
    assert response.status_code == 404


def test_a_confirm_token_does_not_open_a_registration_page(app, client, smtp):
    from .helpers.events import links_in, mail_to, make_event, register

    make_event(app)
    register(client, "launch")
    send_outbox(app)
    confirm = links_in(mail_to(smtp, "ada@example.org")[0], "confirm")[0]
    token = confirm.rsplit("/", 1)[1]
    assert client.get(f"/events/registration/{token}").status_code == 404
    assert client.get(f"/events/registration/{token}/calendar.ics").status_code == 404


EVENT_FORM_CASES = {  # field changes: the message the form must answer with
    "javascript-link": ({"online_url": "javascript:alert(1)"}, "valid URL"),
    "data-link": ({"online_url": "data:text/html,<script>x</script>"}, "valid URL"),
    "ends-before-start": ({"ends_at": "2030-01-01T09:00"}, "end after it starts"),
    "capacity-zero": ({"capacity": "0"}, "from 1 to 100000"),
    "capacity-text": ({"capacity": "many"}, "places"),
    "slug-markup": ({"slug": "<b>x</b>"}, "lower-case letters"),
    "slug-overlong": ({"slug": "a" * 81}, "80 characters"),
    "unknown-zone": ({"timezone": "Mars/Olympus"}, "time zone from the list"),
    "no-link-no-venue": ({"online_url": "", "venue": ""}, "online link or a venue"),
    "venue-nul": ({"venue": "Hall\x00"}, "on one line"),
}


@pytest.mark.parametrize("name", list(EVENT_FORM_CASES))
def test_event_form_against_hostile_input(app, as_role, name):
    from campaign.models import Event

    editor = as_role("editor")
    page = editor.get("/organiser/events/new").get_data(as_text=True)
    data = {
        "csrf_token": CSRF.search(page).group(1),
        "slug": "panel",
        "language": "en",
        "timezone": "Europe/Zurich",
        "starts_at": "2030-01-01T10:00",
        "ends_at": "2030-01-01T11:00",
        "online_url": "https://meet.example/x",
        "capacity": "10",
    }
    changes, message = EVENT_FORM_CASES[name]
    data.update(changes)
    response = editor.post("/organiser/events/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_event_text_form_against_hostile_input(app, as_role, smtp):
    from .helpers.events import make_event

    event = make_event(app)
    editor = as_role("editor")
    url = f"/organiser/events/{event['id']}/text/fr"
    token = CSRF.search(editor.get(url).get_data(as_text=True)).group(1)
    refused = editor.post(url, data={"csrf_token": token, "title": "Titre\r\nBcc: x"})
    assert refused.status_code == 422 and "on one line" in refused.get_data(as_text=True)
    control = editor.post(
        url, data={"csrf_token": token, "title": "Titre", "description_markdown": "a\x1bb"}
    )
    assert control.status_code == 422
    markup = editor.post(
        url,
        data={
            "csrf_token": token,
            "title": "<script>alert(1)</script>",
            "description_markdown": "<img src=x onerror=alert(1)> [x](javascript:alert(1))",
        },
    )
    assert markup.status_code == 303
    public = app.test_client().get("/fr/events/launch").get_data(as_text=True)
    assert "<script>alert(1)" not in public and "<img src=x" not in public
    assert 'href="javascript:' not in public
