"""The public signatory list and the press downloads: what they show, and what they never do."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from campaign.exports import snapshots
from campaign.extensions import db

from .helpers import NAMES, add_excluded, add_signature, reconcile

LIST = "/petitions/call-to-governments/signatories"


@pytest.fixture
def signers(app, petition):
    """Public and private signers in several scripts, and one in every excluded state."""
    with app.app_context():
        pid = petition["id"]
        public = {}
        for i, (script, name) in enumerate(NAMES.items()):
            country = ["CH", "RU", "EG", "CN", "IN"][i]
            add_signature(pid, name, country=country, email=f"{script}@example.org")
            public[name] = f"{script}@example.org"
        add_signature(pid, '=HYPERLINK("http://evil.example","click")', country="FR")
        add_signature(pid, "+Plus Sign", country="FR")
        add_signature(
            pid, "Private Person", country="CH", public=False, email="private@example.org"
        )
        add_signature(pid, "Quiet Person", country="FR", public=False, email="quiet@example.org")
        excluded = add_excluded(pid)
        db.session.commit()
        reconcile(pid)
    return {"public": public, "excluded": excluded}


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_list_shows_notables_then_public_signers_newest_first(client, signers):
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public")
    html = _text(response)
    assert html.index("Desmond Tutu") < html.index(NAMES["devanagari"])
    # newest first: the last added public signer comes before the first
    assert html.index("+Plus Sign") < html.index(NAMES["latin"])
    for name in NAMES.values():
        assert name in html
    # counted, never named
    assert "Private Person" not in html and "Quiet Person" not in html
    assert "And 2 others who signed without being named." in html
    for name, email in signers["excluded"].items():
        assert name not in html and email not in html
    assert "@example.org" not in html


def test_list_search_and_country_filter(client, signers):
    html = _text(client.get(LIST, query_string={"q": "ångström"}))
    assert NAMES["latin"] in html and NAMES["cyrillic"] not in html
    assert "Desmond Tutu" not in html  # notables only on the unfiltered first page
    html = _text(client.get(LIST, query_string={"q": "Достоевский"}))
    assert NAMES["cyrillic"] in html and NAMES["latin"] not in html
    html = _text(client.get(LIST, query_string={"q": "100%_"}))
    assert "No one who chose to be shown matches this search." in html
    html = _text(client.get(LIST, query_string={"country": "FR"}))
    assert "+Plus Sign" in html and NAMES["latin"] not in html
    assert "4 confirmed signatures from France." not in html  # 3 counted in France
    assert "3 confirmed signatures from France." in html
    assert "And 1 other person who signed without being named." in html
    html = _text(client.get(LIST, query_string={"q": "Private"}))
    assert "Private Person" not in html


def test_list_pages_with_a_cursor(client, signers, monkeypatch):
    from campaign.exports import views

    monkeypatch.setattr(views, "PER_PAGE", 3)
    seen = []
    url = LIST
    for _ in range(5):
        html = _text(client.get(url))
        seen += re.findall(
            r'<span class="signatory-name" dir="auto">([^<]+)</span> '
            r'<span class="signatory-country">',
            html,
        )
        match = re.search(r'href="([^"]*after=[^"]*)" rel="next"', html)
        if not match:
            break
        url = match.group(1).replace("&amp;", "&")
    public_names = [n for n in seen if n not in ("Desmond Tutu",)]
    assert len(public_names) == len(set(public_names)) == 7
    assert "First page" in html


def test_list_refuses_bad_input_with_a_message(client, signers):
    bad_country = client.get(LIST, query_string={"country": "XX"})
    assert bad_country.status_code == 400
    assert "Please choose a country from the list." in _text(bad_country)
    bad_cursor = client.get(LIST, query_string={"after": "not-a-cursor"})
    assert bad_cursor.status_code == 400
    assert "no longer exists" in _text(bad_cursor)
    too_long = client.get(LIST, query_string={"q": "x" * 101})
    assert too_long.status_code == 400
    assert client.get("/petitions/no-such-call/signatories").status_code == 404


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_press_csv_has_the_public_fields_only(client, signers):
    response = client.get(LIST + ".csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.data
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(data)
    assert rows[0] == [
        "kind",
        "name",
        "country_code",
        "country_name",
        "signed_on",
        "title",
        "category",
    ]
    notables = [r for r in rows[1:] if r[0] == "notable"]
    people = [r for r in rows[1:] if r[0] == "signatory"]
    assert rows[1][0] == "notable" and len(notables) == 16
    assert rows[1][:5] == ["notable", "Desmond Tutu", "ZA", "South Africa", ""]
    assert len(people) == 7
    assert people[-1] == ["signatory", NAMES["latin"], "CH", "Switzerland", "2026-01-01", "", ""]
    names = {r[1] for r in people}
    assert NAMES["arabic"] in names and NAMES["chinese"] in names
    assert b"@" not in data
    for name in ("Private Person", "Quiet Person", *signers["excluded"]):
        assert name.encode() not in data


def test_press_csv_neutralises_formulas(client, signers):
    rows = _csv_rows(client.get(LIST + ".csv").data)
    names = [r[1] for r in rows]
    assert '\'=HYPERLINK("http://evil.example","click")' in names
    assert "'+Plus Sign" in names
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for row in rows for cell in row)


def test_neutralise_covers_every_formula_start():
    from campaign.exports.csvfiles import neutralise

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(start + "1+1") == "'" + start + "1+1"
    assert neutralise("Zoë") == "Zoë"


def test_press_csv_bom_option(client, signers):
    plain = client.get(LIST + ".csv").data
    with_bom = client.get(LIST + ".csv", query_string={"bom": "1"})
    assert with_bom.data == b"\xef\xbb\xbf" + plain
    assert int(with_bom.headers["Content-Length"]) == len(plain) + 3
    assert client.get(LIST + ".json", query_string={"bom": "1"}).status_code == 400


def test_press_json_has_the_same_public_fields(client, signers):
    response = client.get(LIST + ".json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.data)
    assert document["slug"] == "call-to-governments"
    items = document["signatories"]
    assert all(
        set(item)
        == {"kind", "name", "country_code", "country_name", "signed_on", "title", "category"}
        for item in items
    )
    assert items[0]["name"] == "Desmond Tutu" and items[0]["category"]
    assert {i["name"] for i in items if i["kind"] == "signatory"} >= set(NAMES.values())
    assert b"@" not in response.data
    for name in ("Private Person", *signers["excluded"]):
        assert name.encode() not in response.data


def test_press_download_etag_and_conditional_get(client, signers):
    first = client.get(LIST + ".csv")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and modified
    again = client.get(LIST + ".csv", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    since = client.get(LIST + ".csv", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    bom = client.get(LIST + ".csv?bom=1")
    assert bom.headers["ETag"] != etag
    assert client.get(LIST + ".csv?bom=1", headers={"If-None-Match": etag}).status_code == 200


def test_press_snapshot_is_reused_until_it_is_stale(make_app, petition):
    app = make_app(EXPORT_SNAPSHOT_SECONDS=3600)
    client = app.test_client()
    with app.app_context():
        add_signature(petition["id"], "Early Signer")
        db.session.commit()
    first = client.get(LIST + ".csv").data
    with app.app_context():
        add_signature(petition["id"], "Later Signer")
        db.session.commit()
    assert client.get(LIST + ".csv").data == first  # served from the snapshot
    app.config["EXPORT_SNAPSHOT_SECONDS"] = 0
    fresh = client.get(LIST + ".csv").data
    snapshots.wait_for_jobs()
    assert b"Later Signer" in fresh and b"Early Signer" in fresh


def test_press_download_of_a_draft_or_missing_call_is_404(client, petition):
    assert client.get("/petitions/no-such-call/signatories.csv").status_code == 404
    assert client.get("/petitions/no-such-call/signatories.json").status_code == 404


def test_cli_press_export_writes_the_same_bytes(app, client, runner, signers, tmp_path):
    web = client.get(LIST + ".csv?bom=1").data
    out = tmp_path / "press.csv"
    result = runner.invoke(
        args=["export", "press", "call-to-governments", "--out", str(out), "--bom"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == web
    out_json = tmp_path / "press.json"
    result = runner.invoke(
        args=["export", "press", "call-to-governments", "--out", str(out_json), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert out_json.read_bytes() == client.get(LIST + ".json").data
    missing = runner.invoke(args=["export", "press", "nope", "--out", str(out)])
    assert missing.exit_code != 0 and "no public call" in missing.output


def test_petition_page_links_to_the_list_and_downloads(client, signers):
    html = _text(client.get("/petitions/call-to-governments"))
    assert 'href="/petitions/call-to-governments/signatories"' in html
    assert "/petitions/call-to-governments/signatories.csv?bom=1" in html
    assert "Deliveries" not in html  # none yet


def test_press_download_streams_while_the_snapshot_is_written(make_app, petition):
    app = make_app()
    client = app.test_client()
    with app.app_context():
        for i in range(30):
            add_signature(petition["id"], f"Signer {i}")
        db.session.commit()
    response = client.get(LIST + ".csv", buffered=False)
    assert response.is_streamed and "Content-Length" not in response.headers
    body = b"".join(response.response)
    response.close()
    assert body.count(b"\r\nsignatory,") == 30
    snapshots.wait_for_jobs()
    served = client.get(LIST + ".csv")  # now from the finished file, with its length
    assert served.data == body and int(served.headers["Content-Length"]) == len(body)
    assert served.headers["ETag"] == response.headers["ETag"]
