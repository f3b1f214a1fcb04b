"""Sharing where the wish to act is: on the check-email page as well as after confirming,
with plain links and the call's address to copy; never in the partner's embed."""

from __future__ import annotations

import pytest

from ..helpers.journey import next_path, sign


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_the_check_email_page_offers_to_share(client, petition, prefix):
    response = sign(client, petition["slug"], prefix)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert next_path(response).endswith("/check-email")
    assert 'class="share-links"' in page and "https://wa.me/?text=" in page
    assert f'value="http://localhost{prefix}/petitions/{petition["slug"]}"' in page
    assert 'data-copy-target="call-link"' in page and "/static/js/copy.js" in page


def test_the_embed_keeps_to_its_form(client, petition):
    page = client.get(f"/petitions/{petition['slug']}/embed/check-email").get_data(as_text=True)
    assert "share-links" not in page
