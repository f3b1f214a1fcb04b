"""What people type keeps its own direction on an Arabic page: addresses, links and codes
left to right, names in the direction of their first letter (dir="auto")."""

from __future__ import annotations

import re


def _tag(html: str, element_id: str) -> str:
    match = re.search(rf'<(?:input|textarea)[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, element_id
    return match.group(0)


def test_on_the_arabic_call_page_email_is_left_to_right_and_name_is_auto(client, petition):
    html = client.get(f"/ar/petitions/{petition['slug']}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert 'dir="ltr"' in _tag(html, "email")
    assert 'type="email"' in _tag(html, "email")
    assert 'dir="auto"' in _tag(html, "name")
    # The call's address to copy, and the embed code, are left to right too.
    assert 'dir="ltr"' in _tag(html, "call-link")
    assert 'dir="ltr"' in _tag(html, "embed-code")
    assert 'dir="auto"' in _tag(html, "embed-partner")
    # A choice has no typed text: no direction of its own.
    assert "dir=" not in _tag(html.replace("<select", "<input"), "country")


def test_a_refused_form_keeps_the_directions(client, petition):
    path = f"/ar/petitions/{petition['slug']}/sign"
    html = client.post(path, data={"name": "Ada Lovelace", "email": "x"}).get_data(as_text=True)
    assert 'aria-invalid="true"' in _tag(html, "email") and 'dir="ltr"' in _tag(html, "email")
    assert 'value="Ada Lovelace"' in _tag(html, "name") and 'dir="auto"' in _tag(html, "name")


def test_a_text_field_of_codes_and_numbers_says_left_to_right(app):
    from campaign.organisers.forms import CodeForm
    from campaign.templating import field_attrs
    from campaign.updates.forms import ConfirmSendForm

    with app.test_request_context("/ar/"):
        # A two-step code and the number of recipients an organiser types on the send page.
        code = CodeForm(meta={"csrf": False}).code
        typed = ConfirmSendForm(meta={"csrf": False}, zone="UTC").typed
        for field in (code, typed):
            html = field(**field_attrs(field))
            assert 'dir="ltr"' in html and "auto" not in html
