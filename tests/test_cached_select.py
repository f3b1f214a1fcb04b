"""The country list's cached rendering is WTForms' own markup, selection included."""

from __future__ import annotations

import pytest
from wtforms.widgets import Select

from campaign.petitions.forms import SignatureForm


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("chosen", [None, "", "CH", "CI", "XX"])
def test_same_markup_as_wtforms(app, language, chosen):
    with app.test_request_context(f"/{language}/"):
        form = SignatureForm(petition_id=1, language=language, formdata=None)
        form.country.data = chosen
        attrs = {"autocomplete": "country", "aria-invalid": "true"}
        cached = form.country(**attrs)
        plain = Select()(form.country, **attrs)
        assert str(cached) == str(plain)
        assert cached.count("<option") > 240
        if chosen is None or chosen == "XX":
            assert "selected" not in cached
        else:  # the empty value selects the "Choose your country" placeholder
            assert f'<option selected value="{chosen}">' in cached


def test_the_page_keeps_what_the_person_chose(client, petition):
    response = client.post(
        f"/petitions/{petition['slug']}/sign",
        data={"name": "", "email": "ada@example.org", "country": "KE", "consent": "y"},
    )
    assert response.status_code in (400, 422)
    assert '<option selected value="KE">' in response.get_data(as_text=True)
