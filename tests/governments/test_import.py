"""Importing targets from CSV, by command and by upload: every row checked, all or nothing."""

from __future__ import annotations

import io

import pytest

from .helpers import SLUG, audit_entries, calls_base, post_form, targets_snapshot

GOOD = (
    "country,body,email,language,threshold\n"
    "JP,Ministry of Foreign Affairs,contact@mofa.example.org,en,300\n"
    'IT,"Ministero degli Affari Esteri, Roma",a@esteri.example.org; b@esteri.example.org,'
    "fr en,\n"
    "ch,Federal Chancellery,one@bk.example.org two@bk.example.org,fr,2000\n"
)

# Line 2 is good; each line after it is wrong in one way, and line 9 in two.
BAD = (
    "country,body,email,language,threshold\n"
    "JP,Ministry of Foreign Affairs,contact@mofa.example.org,en,300\n"
    "XX,Nowhere Office,x@example.org,en,1\n"
    "IT,,a@esteri.example.org,en,1\n"
    "ES,Ministerio,not an address,es,1\n"
    "KE,Ministry,k@example.org,sw,1\n"
    "BR,Itamaraty,b@example.org,es,-10\n"
    "JP,Ministry again,c@example.org,en,1\n"
    "ZZ,,d@example.org,en,1\n"
    "DE,Federal Foreign Office,d@example.org,en\n"
)


def _write(tmp_path, text: str | bytes, name: str = "targets.csv"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return str(path)


def test_cli_imports_a_good_file_and_updates_existing_countries(app, runner, petition, tmp_path):
    before = targets_snapshot(app)
    result = runner.invoke(args=["governments", "import", SLUG, _write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert "2 added, 1 updated, 0 unchanged: JP IT CH" in result.output
    after = targets_snapshot(app)
    assert after["JP"] == ("Ministry of Foreign Affairs", "contact@mofa.example.org", "", "en", 300)
    assert after["IT"] == (
        "Ministero degli Affari Esteri, Roma",
        "a@esteri.example.org\nb@esteri.example.org",
        "",
        "fr en",
        0,  # a blank threshold is 0
    )
    # Switzerland updated; its postal address (not in the file) kept
    assert after["CH"][:2] == ("Federal Chancellery", "one@bk.example.org\ntwo@bk.example.org")
    assert after["CH"][2] == before["CH"][2] and after["CH"][3:] == ("fr", 2000)
    assert {k: v for k, v in after.items() if k not in ("JP", "IT", "CH")} == {
        k: v for k, v in before.items() if k != "CH"
    }
    [summary] = audit_entries(app, "import_government_targets")
    assert summary.actor_id is None and summary.changes == {
        "added": ["JP", "IT"],
        "updated": ["CH"],
    }
    assert len(audit_entries(app, "add_government_target")) == 2
    # importing the same file again changes nothing
    again = runner.invoke(args=["governments", "import", SLUG, _write(tmp_path, GOOD)])
    assert "0 added, 0 updated, 3 unchanged" in again.output


def test_cli_reports_every_bad_row_by_line_and_imports_nothing(app, runner, petition, tmp_path):
    before = targets_snapshot(app)
    result = runner.invoke(args=["governments", "import", SLUG, _write(tmp_path, BAD)])
    assert result.exit_code != 0
    out = result.output
    assert "Line 2" not in out
    assert "Line 3: “XX” is not a country code" in out
    assert "Line 4: Please name the body the letter is addressed to." in out
    assert "Line 5: “not” is not a valid email address." in out
    known = "use en fr es ar zh ru."
    assert f"Line 6: “sw” is not a language the letter can be written in: {known}" in out
    assert "Line 7: The threshold must be a whole number of signatures, 0 or more." in out
    assert "Line 8: JP is already on line 2." in out
    assert "Line 9: “ZZ” is not a country code" in out and "Line 9: Please name the body" in out
    assert "Line 10: 4 columns where the header has 5." in out
    assert "nothing was imported" in out
    assert targets_snapshot(app) == before
    assert audit_entries(app, "import_government_targets") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "country,body,emails,language\nJP,Ministry,a@example.org,en\n",
            "Line 1: The first row must name the columns country,body,email,language,"
            "threshold. Missing: email, threshold. Not known: emails.",
        ),
        ("JP,Ministry,a@example.org,en,1\n", "Line 1: The first row must name the columns"),
        ("country,body,email,language,threshold\n", "Line 1: The file holds no targets."),
        ("", "Line 1: The file holds no targets."),
        (
            b"country,body,email,language,threshold\nJP,Ministry,a@example.org,en,1\n"
            + b"FR,Minist\xe8re,a@example.org,fr,1\n",
            "Line 3: This is not UTF-8 text.",
        ),
    ],
)
def test_cli_refuses_a_wrong_header_an_empty_file_or_other_encodings(
    app, runner, petition, tmp_path, text, message
):
    before = targets_snapshot(app)
    result = runner.invoke(args=["governments", "import", SLUG, _write(tmp_path, text)])
    assert result.exit_code != 0 and message in result.output
    assert targets_snapshot(app) == before


def test_header_columns_in_any_order_with_a_byte_order_mark(app, runner, petition, tmp_path):
    text = "\ufeffThreshold,Language,Email,Body,Country\r\n10,es,m@example.org,Cancillería,MX\r\n"
    result = runner.invoke(args=["governments", "import", SLUG, _write(tmp_path, text)])
    assert result.exit_code == 0, result.output
    assert targets_snapshot(app)["MX"] == ("Cancillería", "m@example.org", "", "es", 10)


def test_cli_names_an_unknown_call(runner, petition, tmp_path):
    result = runner.invoke(args=["governments", "import", "nope", _write(tmp_path, GOOD)])
    assert result.exit_code != 0 and "no call with the slug 'nope'" in result.output


def test_upload_form_imports_the_same_way(app, as_role, organisers, petition):
    page = f"{calls_base(petition)}/governments/import"
    client = as_role("editor")
    html = client.get(page).get_data(as_text=True)
    assert "country,body,email,language,threshold" in html
    bad = post_form(
        client,
        page,
        {"file": (io.BytesIO(BAD.encode()), "targets.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Nothing was imported" in text
    assert (
        "Line 3: “XX” is not a country code" in text and "Line 8: JP is already on line 2." in text
    )
    assert "JP" not in targets_snapshot(app)
    missing = post_form(client, page, {}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "Please choose a CSV file." in missing.get_data(
        as_text=True
    )
    good = post_form(
        client,
        page,
        {"file": (io.BytesIO(GOOD.encode()), "targets.csv")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 303
    assert {"JP", "IT"} <= set(targets_snapshot(app))
    [summary] = audit_entries(app, "import_government_targets")
    assert summary.actor_id == organisers["editor"]["id"]
    listing = client.get(good.headers["Location"]).get_data(as_text=True)
    assert "Imported: 2 added, 1 updated, 0 unchanged." in listing


def test_moderators_cannot_upload(app, as_role, petition):
    before = targets_snapshot(app)
    response = post_form(
        as_role("moderator"),
        f"{calls_base(petition)}/signatures",
        {"file": (io.BytesIO(GOOD.encode()), "targets.csv")},
        to=f"{calls_base(petition)}/governments/import",
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert targets_snapshot(app) == before
