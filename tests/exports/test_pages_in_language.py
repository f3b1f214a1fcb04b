"""The signatories and deliveries pages name the call by its title in the page's language."""

from __future__ import annotations

import pytest

TITLES = {
    "fr": "Gouvernements\u00a0: mettez fin aux cyberattaques contre la santé",
    "es": "Gobiernos: pongan fin a los ciberataques contra la sanidad",
}


@pytest.mark.parametrize("page", ["signatories", "deliveries"])
@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_call_is_named_in_the_pages_language(client, petition, page, language):
    html = client.get(f"/{language}/petitions/{petition['slug']}/{page}").get_data(as_text=True)
    html = html.replace("&nbsp;", "\u00a0")
    assert f"· {TITLES[language]}</title>" in html
    assert f">{TITLES[language]}</a></p>" in html
    assert "Governments: stop the cyberattacks" not in html
