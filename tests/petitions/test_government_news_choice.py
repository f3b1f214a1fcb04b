"""The sign form's choice "Tell me what my government does with this call": recorded on
the signature, stored in its consent text, shown on the confirm page and the signer's own
page, and changed there."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import Lifecycle, Signature

from ..helpers.journey import links_in, local_path, press_button, send_outbox, sign

LABEL = "Tell me what my government does with this call"


def the_signature(app, email: str) -> Signature:
    with app.app_context():
        signature = db.session.scalar(select(Signature).where(Signature.email == email))
        db.session.expunge(signature)
        return signature


def test_the_sign_form_and_the_embed_offer_the_choice(client, petition):
    for path in (f"/petitions/{petition['slug']}", f"/petitions/{petition['slug']}/embed"):
        html = client.get(path).get_data(as_text=True)
        assert 'name="government_news"' in html and LABEL in html
    french = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert 'name="government_news"' in french


def test_the_choice_is_recorded_shown_and_changeable(app, client, smtp, petition):
    response = sign(client, petition["slug"], email="gina@example.org", government_news="y")
    assert response.status_code == 303
    signature = the_signature(app, "gina@example.org")
    assert signature.government_news is True
    # The consent stored says what was agreed to, and that this was chosen.
    assert "privacy notice" in signature.consent_text
    assert signature.consent_text.endswith("\n" + LABEL)

    send_outbox(app)
    [message] = smtp.messages
    [confirm_link] = links_in(message, "confirm")
    page = client.get(local_path(confirm_link)).get_data(as_text=True)
    assert "What your government does with the call" in page
    assert "You will be told by email" in page

    # Confirmed, the signer changes it on their own page.
    assert press_button(client, local_path(confirm_link)).status_code == 303
    [signature_link] = links_in(message, "signature")
    own_page = client.get(local_path(signature_link)).get_data(as_text=True)
    assert 'name="government_news"' in own_page and LABEL in own_page
    saved = press_button(client, local_path(signature_link), "save", public="y")
    assert "Your choices are saved" in saved.get_data(as_text=True)
    changed = the_signature(app, "gina@example.org")
    assert (changed.status, changed.public, changed.government_news) == (
        Lifecycle.CONFIRMED,
        True,
        False,
    )
    again = press_button(client, local_path(signature_link), "save", government_news="y")
    assert again.get_data(as_text=True).count(" checked") == 1
    assert the_signature(app, "gina@example.org").government_news is True


def test_left_unticked_nothing_is_chosen_or_stored(app, client, smtp, petition):
    assert sign(client, petition["slug"], email="hal@example.org").status_code == 303
    signature = the_signature(app, "hal@example.org")
    assert signature.government_news is False
    assert LABEL not in signature.consent_text
    send_outbox(app)
    [message] = smtp.messages
    [confirm_link] = links_in(message, "confirm")
    page = client.get(local_path(confirm_link)).get_data(as_text=True)
    assert "You will not be told" in page


def test_the_french_form_stores_the_french_label(app, client, petition):
    response = sign(
        client, petition["slug"], prefix="/fr", email="ines@example.fr", government_news="y"
    )
    assert response.status_code == 303
    signature = the_signature(app, "ines@example.fr")
    assert signature.government_news is True and signature.language == "fr"
    first, chosen = signature.consent_text.split("\n")
    assert first and chosen
