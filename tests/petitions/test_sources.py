"""Where signatures come from: a link's ?ref= and an embed's ?partner=, carried by the sign
form, recorded with each submission, and counted on the call's dashboard.

Signers arrive as browsers do: they open the call's page (or the embed) at the
address they were given, fill in the form the page serves, and confirm from the
email. The organiser then reads the dashboard's two tables.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select, update

from campaign.extensions import db
from campaign.models import Signature, utcnow

from ..helpers.journey import links_in, local_path, press_button, send_outbox


class SignForm(HTMLParser):
    """The sign form of a page: where it posts and what its hidden fields carry."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.action: str | None = None
        self.hidden: dict[str, str] = {}
        self._inside = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "sign-form" in (attrs.get("class") or ""):
            self.action, self._inside = attrs["action"].split("#")[0], True
        elif tag == "input" and self._inside and attrs.get("type") == "hidden":
            self.hidden[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def sign_at(client, address: str, email: str, **fields):
    """Open ``address`` as given in a link, and send its sign form as a person would."""
    page = client.get(address)
    assert page.status_code == 200, address
    form = SignForm(page.get_data(as_text=True))
    data = {"name": "Ada Lovelace", "email": email, "country": "CH", "consent": "y"}
    response = client.post(form.action, data={**form.hidden, **data, **fields})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return form


def mail_to(app, smtp, email: str) -> list:
    send_outbox(app)
    return [m for m in smtp.messages if m["To"].addresses[0].addr_spec == email]


def confirm(app, client, smtp, email: str) -> None:
    """Follow the emailed link and press Confirm (the latest email to ``email``)."""
    link = links_in(mail_to(app, smtp, email)[-1])[0]
    assert press_button(client, local_path(link)).status_code == 303


class Tables(HTMLParser):
    """The dashboard's source tables: {heading id: {row label: (posts, counted, rate)}}."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, tuple[str, ...]]] = {}
        self._table: dict | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_head = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("aria-labelledby", "").startswith("by-"):
            self._table = self.tables.setdefault(attrs["aria-labelledby"], {})
        elif tag == "thead":
            self._in_head = True
        elif self._table is not None and tag == "tr" and not self._in_head:
            self._row = []
        elif self._row is not None and tag in ("th", "td"):
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table[self._row[0]] = tuple(self._row[1:])
            self._row = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "table":
            self._table = None


def dashboard(as_role, petition, role: str = "editor") -> dict[str, dict[str, tuple[str, ...]]]:
    page = as_role(role).get(f"/organiser/calls/{petition['id']}")
    assert page.status_code == 200
    return Tables(page.get_data(as_text=True)).tables


def test_posts_and_confirmations_by_source_and_partner(app, client, smtp, petition, as_role):
    slug = petition["slug"]
    call, embed = f"/petitions/{slug}", f"/petitions/{slug}/embed"
    newsletter = f"{call}?ref=newsletter-june"
    # The newsletter: two confirm (one of them reading in French), one does not.
    form = sign_at(client, newsletter, "ana@example.org")
    assert form.hidden["ref"] == "newsletter-june" and "partner" not in form.hidden
    confirm(app, client, smtp, "ana@example.org")
    sign_at(client, newsletter, "ben@example.org")
    sign_at(client, f"/fr{call}?ref=newsletter-june", "cat@example.org")
    confirm(app, client, smtp, "cat@example.org")
    # Mastodon, in Spanish: one confirms; one never will, and another says "not me".
    sign_at(client, f"/es{call}?ref=mastodon", "dan@example.org")
    confirm(app, client, smtp, "dan@example.org")
    sign_at(client, f"{call}?ref=mastodon", "kim@example.org")
    sign_at(client, f"{call}?ref=mastodon", "lee@example.org")
    link = links_in(mail_to(app, smtp, "lee@example.org")[-1])[0]
    assert press_button(client, local_path(link), "discard").status_code == 200
    # Kim signs again straight from the call's address and confirms that one: the
    # Mastodon submission is discarded, but it was posted from Mastodon all the same.
    sign_at(client, call, "kim@example.org")
    confirm(app, client, smtp, "kim@example.org")
    # Direct: one confirms, one does not; an address with a ref that is no slug is direct.
    sign_at(client, call, "eve@example.org")
    confirm(app, client, smtp, "eve@example.org")
    sign_at(client, call, "fay@example.org")
    sign_at(client, f"{call}?ref=News%20Letter", "jo@example.org")
    confirm(app, client, smtp, "jo@example.org")
    # The embed: on a partner's page (one with the newsletter's ref too), and without one.
    # The partner travels in the embed's own address, its form's included.
    form = sign_at(client, f"{embed}?partner=Amnesty-CH", "gus@example.org")
    assert form.action.endswith("/embed/sign?partner=amnesty-ch")
    assert list(form.hidden) == ["form_token"]
    confirm(app, client, smtp, "gus@example.org")
    sign_at(client, f"{embed}?partner=amnesty-ch&ref=newsletter-june", "hal@example.org")
    sign_at(client, embed, "ivy@example.org")
    confirm(app, client, smtp, "ivy@example.org")
    # Withdrawn after confirming: posted, no longer counted.
    sign_at(client, f"/fr/petitions/{slug}/embed?partner=amnesty-ch", "mia@example.org")
    confirm(app, client, smtp, "mia@example.org")
    withdraw = links_in(mail_to(app, smtp, "mia@example.org")[-1], "signature")[0]
    assert press_button(client, local_path(withdraw)).status_code == 200

    tables = dashboard(as_role, petition)
    assert tables["by-source-heading"] == {
        "Direct (no ref)": ("7", "5", "71.4%"),
        "newsletter-june": ("4", "2", "50.0%"),
        "mastodon": ("3", "1", "33.3%"),
        "Total": ("14", "8", "57.1%"),
    }
    assert tables["by-partner-heading"] == {
        "No partner": ("11", "7", "63.6%"),
        "amnesty-ch": ("3", "1", "33.3%"),
        "Total": ("14", "8", "57.1%"),
    }
    # What each submission recorded (those still holding an address).
    with app.app_context():
        rows = {
            s.email: (s.ref, s.partner)
            for s in db.session.scalars(select(Signature)).all()
            if s.email is not None
        }
    assert rows["cat@example.org"] == ("newsletter-june", None)
    assert rows["hal@example.org"] == ("newsletter-june", "amnesty-ch")
    assert rows["jo@example.org"] == (None, None)


def test_rates_are_in_the_readers_language_and_an_empty_call_has_no_rate(
    app, client, smtp, petition, as_role
):
    tables = dashboard(as_role, petition)
    assert tables["by-source-heading"] == {
        "Direct (no ref)": ("0", "0", "—"),
        "Total": ("0", "0", "—"),
    }
    sign_at(client, f"/petitions/{petition['slug']}?ref=a", "ana@example.org")
    confirm(app, client, smtp, "ana@example.org")
    sign_at(client, f"/petitions/{petition['slug']}?ref=a", "ben@example.org")
    sign_at(client, f"/petitions/{petition['slug']}?ref=a", "cat@example.org")
    page = as_role("moderator").get(f"/fr/organiser/calls/{petition['id']}")
    assert page.status_code == 200
    tables = Tables(page.get_data(as_text=True)).tables
    assert tables["by-source-heading"]["a"] == ("3", "1", "33,3 %")


def test_a_partner_posted_to_the_calls_own_page_is_not_recorded(app, client, petition):
    """On the call's page, ?partner= only fills in the embed code offered to partners."""
    form = sign_at(client, f"/petitions/{petition['slug']}?partner=amnesty-ch", "ana@example.org")
    assert list(form.hidden) == ["form_token"] and "partner" not in form.action
    sign_at(client, f"/petitions/{petition['slug']}", "ben@example.org", partner="amnesty-ch")
    token = SignForm(client.get(f"/petitions/{petition['slug']}").get_data(as_text=True))
    data = {"name": "Cy", "email": "cy@example.org", "country": "CH", "consent": "y"}
    posted = client.post(
        f"/petitions/{petition['slug']}/sign?partner=amnesty-ch", data={**token.hidden, **data}
    )
    assert posted.status_code == 303
    with app.app_context():
        assert (
            db.session.execute(select(Signature.ref, Signature.partner)).all() == [(None, None)] * 3
        )


def test_the_ref_survives_a_form_sent_back_with_an_error(app, client, petition):
    page = client.get(f"/petitions/{petition['slug']}?ref=newsletter-june")
    form = SignForm(page.get_data(as_text=True))
    refused = client.post(form.action, data={**form.hidden, "name": "Ada", "country": "CH"})
    assert refused.status_code == 422
    again = SignForm(refused.get_data(as_text=True))
    assert again.hidden["ref"] == "newsletter-june"
    data = {"name": "Ada", "email": "ada@example.org", "country": "CH", "consent": "y"}
    assert client.post(again.action, data={**again.hidden, **data}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Signature.ref)) == "newsletter-june"


def test_switching_language_keeps_the_ref(client, petition):
    html = client.get(f"/petitions/{petition['slug']}?ref=newsletter-june").get_data(as_text=True)
    assert f'href="/fr/petitions/{petition["slug"]}?ref=newsletter-june"' in html


def test_share_links_carry_their_own_ref(app, client, smtp, petition):
    sign_at(client, f"/petitions/{petition['slug']}", "ana@example.org")
    link = links_in(mail_to(app, smtp, "ana@example.org")[-1])[0]
    thank_you = client.get(press_button(client, local_path(link)).headers["Location"])
    html = thank_you.get_data(as_text=True)
    url = f"http%3A%2F%2Flocalhost%2Fpetitions%2F{petition['slug']}%3Fref%3D"
    assert "https://wa.me/?text=" in html and f"{url}share-whatsapp" in html
    for ref in ("email", "mastodon", "bluesky", "x", "facebook", "linkedin"):
        assert f"{url}share-{ref}" in html, ref
    # The call's address offered to copy stays plain.
    assert f'value="http://localhost/petitions/{petition["slug"]}"' in html


def test_posts_never_confirmed_in_time_stay_counted_after_retention(
    app, client, runner, petition, as_role
):
    sign_at(client, f"/petitions/{petition['slug']}?ref=leaflet", "ana@example.org")
    sign_at(client, f"/petitions/{petition['slug']}/embed?partner=amnesty-ch", "ben@example.org")
    with app.app_context():
        db.session.execute(update(Signature).values(created_at=utcnow() - timedelta(days=40)))
        db.session.commit()
    assert "deleted 2" in runner.invoke(args=["retention", "run"]).output
    with app.app_context():
        assert db.session.scalars(select(Signature)).all() == []
    tables = dashboard(as_role, petition)
    assert tables["by-source-heading"]["leaflet"] == ("1", "0", "0.0%")
    assert tables["by-partner-heading"]["amnesty-ch"] == ("1", "0", "0.0%")
    assert tables["by-source-heading"]["Total"] == ("2", "0", "0.0%")


def test_erasure_keeps_where_a_signature_came_from(app, client, smtp, runner, petition, as_role):
    sign_at(client, f"/petitions/{petition['slug']}?ref=leaflet", "ana@example.org")
    confirm(app, client, smtp, "ana@example.org")
    report = runner.invoke(args=["privacy", "export", "ana@example.org"])
    assert '"ref": "leaflet"' in report.output and '"partner": null' in report.output
    erased = runner.invoke(args=["privacy", "erase", "ana@example.org", "--yes"])
    assert "erased 1 signature" in erased.output
    with app.app_context():
        signature = db.session.scalars(select(Signature)).one()
        assert (signature.email, signature.ref) == (None, "leaflet")
    assert dashboard(as_role, petition)["by-source-heading"]["leaflet"] == ("1", "1", "100.0%")


def test_the_admins_full_export_names_each_signatures_source(app, client, smtp, petition, as_role):
    sign_at(
        client, f"/petitions/{petition['slug']}/embed?partner=amnesty-ch&ref=x", "a@example.org"
    )
    confirm(app, client, smtp, "a@example.org")
    response = as_role("admin").get(f"/organiser/exports/{petition['slug']}/signatures-full.csv")
    assert response.status_code == 200
    [row] = list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))
    assert (row["email"], row["ref"], row["partner"]) == ("a@example.org", "x", "amnesty-ch")


@pytest.mark.parametrize("count", [31, 33])
def test_past_thirty_sources_the_least_busy_share_a_row(app, client, petition, as_role, count):
    for n in range(count):
        sign_at(client, f"/petitions/{petition['slug']}?ref=src-{n:02d}", f"s{n}@example.org")
    sign_at(client, f"/petitions/{petition['slug']}?ref=src-00", "again@example.org")
    table = dashboard(as_role, petition)["by-source-heading"]
    assert table["src-00"] == ("2", "0", "0.0%")  # the busiest first, then by name
    assert len(table) == 1 + 30 + 1 + 1  # direct, thirty sources, the others, the total
    others = count - 30
    assert table[f"{others} other" + ("s" if others > 1 else "")] == (str(others), "0", "0.0%")
    assert table["Total"] == (str(count + 1), "0", "0.0%")
