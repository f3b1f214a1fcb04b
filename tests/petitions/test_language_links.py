"""The language links of a page drawn for a refused signature go to the call's page in the
other language, not to the form's address (which takes no GET: a 405)."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    "posted, page",
    [
        ("/fr/petitions/call-to-governments/sign", "/petitions/call-to-governments"),
        (
            "/fr/petitions/call-to-governments/embed/sign?partner=amnesty",
            "/petitions/call-to-governments/embed",
        ),
    ],
)
def test_a_refused_form_links_to_its_page_in_other_languages(client, petition, posted, page):
    response = client.post(posted, data={"name": ""})
    assert response.status_code in (400, 422)
    html = response.get_data(as_text=True)
    links = dict(re.findall(r'<a href="([^"]+)" lang="(en|es)" hreflang', html)[:2])
    query = "?partner=amnesty" if "partner" in posted else ""
    assert set(links) == {f"{page}{query}", f"/es{page}{query}"}, links
    for href in links:
        assert client.get(href).status_code == 200, href
