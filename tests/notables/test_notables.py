"""Notable signatories: adding with a portrait, upload checks, promoting a signature
without counting it twice, reordering, hiding and removing."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import AuditEntry, NotablePortrait, NotableSignatory, Petition, Signature
from campaign.notables.services import notables_of, visible_notables
from campaign.petitions.counters import transition
from campaign.petitions.lifecycle import withdraw

from ..helpers.backoffice import add_signature, csrf_token


def image_bytes(fmt: str = "PNG", size=(1000, 800), mode: str = "RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 60) if mode == "RGB" else None).save(out, format=fmt, **save)
    return out.getvalue()


def notable_form(token: str, **overrides) -> dict:
    data = {
        "csrf_token": token,
        "name": "Ellen Johnson Sirleaf",
        "title": "Former President of Liberia",
        "organisation": "",
        "country": "LR",
        "category": "Nobel Peace Prize laureate",
        "url": "https://example.org/ellen",
        "consent_note": "Agreed by email to the campaign director, 3 May 2020.",
        "visible": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def add(client, petition_id: int, portrait: tuple[bytes, str] | None = None, **fields):
    url = f"/organiser/calls/{petition_id}/notables/new"
    data = notable_form(csrf_token(client, url), **fields)
    if portrait is not None:
        data["portrait"] = (io.BytesIO(portrait[0]), portrait[1])
    return client.post(url, data=data, content_type="multipart/form-data")


def find(app, name: str) -> NotableSignatory | None:
    with app.app_context():
        return db.session.scalar(select(NotableSignatory).where(NotableSignatory.name == name))


def test_add_with_a_portrait_re_encoded_and_served_publicly(app, as_role, client, petition):
    editor = as_role("editor")
    upload = image_bytes("PNG", (1000, 800))
    response = add(editor, petition["id"], (upload, "ellen.png"))
    assert response.status_code == 303, response.get_data(as_text=True)
    notable = find(app, "Ellen Johnson Sirleaf")
    assert notable.portrait_hash and notable.consent_note.startswith("Agreed by email")
    with app.app_context():
        row = db.session.get(NotablePortrait, notable.id)
        assert row.content_type == "image/jpeg" and row.data != upload
        stored = Image.open(io.BytesIO(row.data))
        assert stored.format == "JPEG" and stored.size == (400, 320)

    # Placed at the end of its category, so the category stays together.
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        categories = [n.category for n in visible_notables(call)]
    first_other = categories.index("Former head of state or government")
    assert categories[first_other - 1] == "Nobel Peace Prize laureate"
    assert categories.count("Nobel Peace Prize laureate") == 6

    page = client.get(f"/petitions/{petition['slug']}").get_data(as_text=True)
    path = f"/media/notables/{notable.id}/{notable.portrait_hash[:16]}"
    assert f'<img class="notable-portrait" src="{path}" alt="Ellen Johnson Sirleaf"' in page
    image = client.get(path)
    assert image.status_code == 200
    assert image.mimetype == "image/jpeg"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in image.headers
    assert client.get(f"/media/notables/{notable.id}/0000000000000000").status_code == 404

    data = client.get(f"/petitions/{petition['slug']}.json").json
    [entry] = [n for n in data["notable_signatories"] if n["name"] == "Ellen Johnson Sirleaf"]
    assert entry["portrait_url"] == "http://localhost" + path
    assert all(n["portrait_url"] is None for n in data["notable_signatories"] if n is not entry)


def test_a_transparent_logo_stays_a_png(app, as_role, petition):
    logo = image_bytes("PNG", (600, 200), mode="RGBA")
    assert (
        add(as_role("editor"), petition["id"], (logo, "logo.png"), name="Logo Org").status_code
        == 303
    )
    with app.app_context():
        row = db.session.get(NotablePortrait, find(app, "Logo Org").id)
        assert row.content_type == "image/png"
        assert Image.open(io.BytesIO(row.data)).size == (400, 133)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((image_bytes("GIF", (50, 50), mode="P"), "cat.gif"), "not a JPEG, PNG or WebP image"),
        ((b"MZ\x90\x00 this is a program, renamed" * 20, "photo.png"), "not a JPEG, PNG or WebP"),
        ((b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "broken.png"), "not a JPEG, PNG or WebP image"),
        ((b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024 + 10), "huge.png"), "too large"),
        ((image_bytes("PNG", (10000, 5000), mode="1"), "bomb.png"), "too large"),
    ],
    ids=["gif", "renamed-program", "truncated-png", "over-2-mb", "too-many-pixels"],
)
def test_unusable_uploads_get_a_clear_error_and_nothing_is_saved(
    app, as_role, petition, upload, message
):
    response = add(as_role("editor"), petition["id"], upload, name="Upload Test")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert find(app, "Upload Test") is None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(NotablePortrait)) == 0


def test_a_webp_and_a_jpeg_are_accepted(app, as_role, petition):
    editor = as_role("editor")
    assert (
        add(
            editor, petition["id"], (image_bytes("WEBP", (300, 300)), "a.webp"), name="W"
        ).status_code
        == 303
    )
    assert (
        add(
            editor, petition["id"], (image_bytes("JPEG", (200, 500)), "b.jpg"), name="J"
        ).status_code
        == 303
    )
    with app.app_context():
        sizes = {db.session.get(NotablePortrait, find(app, n).id).width for n in ("W", "J")}
    assert sizes == {300, 160}


def test_promote_a_public_signature_without_counting_it_twice(app, as_role, client, petition):
    with app.app_context():
        public_id = add_signature(
            petition["id"], "wangari@example.org", name="Wangari M.", public=True, country="KE"
        )
        private_id = add_signature(petition["id"], "quiet@example.org", name="Quiet Person")
        db.session.commit()
    count = client.get(f"/petitions/{petition['slug']}/count.json").json["signature_count"]
    assert count == 2

    editor = as_role("editor")
    search = editor.get(f"/organiser/calls/{petition['id']}/notables/promote?name=wangari")
    assert "Wangari M." in search.get_data(as_text=True)
    assert "Quiet Person" not in editor.get(
        f"/organiser/calls/{petition['id']}/notables/promote"
    ).get_data(as_text=True)
    # A signer who did not choose to be shown cannot be promoted.
    assert (
        editor.get(f"/organiser/calls/{petition['id']}/notables/promote/{private_id}").status_code
        == 404
    )

    url = f"/organiser/calls/{petition['id']}/notables/promote/{public_id}"
    response = editor.post(
        url,
        data=notable_form(
            csrf_token(editor, url),
            name=None,
            country=None,
            category="Civil society",
            title="Environmentalist",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    notable = find(app, "Wangari M.")
    assert notable.signature_id == public_id and notable.country == "KE"

    data = client.get(f"/petitions/{petition['slug']}.json").json
    assert data["signature_count"] == 2  # the same count: they were already counted
    assert [n["name"] for n in data["notable_signatories"]].count("Wangari M.") == 1
    # Promoted once: no longer offered.
    assert f"/notables/promote/{public_id}" not in editor.get(
        f"/organiser/calls/{petition['id']}/notables/promote"
    ).get_data(as_text=True)
    assert editor.get(url).status_code == 404
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "promote_signature")
        )
        assert entry.changes["signature_id"] == public_id
        assert "Wangari" not in str(entry.changes)  # ids and field names only

    # If the signature stops counting, the notable is no longer shown; if the person
    # withdraws, the notable goes with their data.
    with app.app_context():
        signature = db.session.get(Signature, public_id)
        transition(signature, validity="invalidated")
        db.session.commit()
    assert "Wangari M." not in client.get(f"/petitions/{petition['slug']}").get_data(as_text=True)
    with app.app_context():
        signature = db.session.get(Signature, public_id)
        transition(signature, validity="ok")
        withdraw(signature)
        db.session.commit()
    assert find(app, "Wangari M.") is None


def names_in_order(app, petition_id: int) -> list[str]:
    with app.app_context():
        call = db.session.get(Petition, petition_id)
        return [n.name for n in notables_of(call)]


def post(client, url: str, page: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def test_reorder_hide_show_and_remove_without_javascript(app, as_role, client, petition):
    editor = as_role("editor")
    page = f"/organiser/calls/{petition['id']}/notables"
    before = names_in_order(app, petition["id"])
    second = find(app, before[1])
    base = f"{page}/{second.id}"
    assert post(editor, base + "/move", page, direction="up").status_code == 303
    after = names_in_order(app, petition["id"])
    assert after[:2] == [before[1], before[0]] and after[2:] == before[2:]
    post(editor, base + "/move", page, direction="down")
    assert names_in_order(app, petition["id"]) == before
    # Up at the top of a category does nothing (categories stay together).
    heads = [n for n in before if find(app, n).category == "Former head of state or government"]
    head = find(app, heads[0])
    post(editor, f"{page}/{head.id}/move", page, direction="up")
    assert names_in_order(app, petition["id"]) == before
    # A whole category moves up.
    post(editor, f"{page}/categories/move", page, category="Civil society", direction="up")
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        order = list(dict.fromkeys(n.category for n in notables_of(call)))
    assert order[-2:] == ["Civil society", "Industry"]

    # Hide, then show.
    post(editor, base + "/visibility", page, visible="0")
    assert second.name not in client.get(f"/petitions/{petition['slug']}").get_data(as_text=True)
    post(editor, base + "/visibility", page, visible="1")
    assert second.name in client.get(f"/petitions/{petition['slug']}").get_data(as_text=True)
    # Remove.
    post(editor, base + "/delete", page)
    assert find(app, second.name) is None
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {
        "move_notable",
        "move_category",
        "hide_notable",
        "show_notable",
        "remove_notable",
    } <= actions


def test_edit_replaces_and_removes_the_portrait(app, as_role, client, petition):
    editor = as_role("editor")
    add(editor, petition["id"], (image_bytes("PNG", (100, 100)), "a.png"), name="Edited")
    notable = find(app, "Edited")
    old_hash = notable.portrait_hash
    url = f"/organiser/calls/{petition['id']}/notables/{notable.id}/edit"
    data = notable_form(csrf_token(editor, url), name="Edited", title="New title")
    data["portrait"] = (io.BytesIO(image_bytes("PNG", (120, 90))), "b.png")
    assert editor.post(url, data=data, content_type="multipart/form-data").status_code == 303
    changed = find(app, "Edited")
    assert changed.portrait_hash != old_hash and changed.title == "New title"
    assert client.get(f"/media/notables/{notable.id}/{old_hash[:16]}").status_code == 404
    data = notable_form(csrf_token(editor, url), name="Edited", remove_portrait="y")
    assert editor.post(url, data=data, content_type="multipart/form-data").status_code == 303
    assert find(app, "Edited").portrait_hash is None
    with app.app_context():
        assert db.session.get(NotablePortrait, notable.id) is None
