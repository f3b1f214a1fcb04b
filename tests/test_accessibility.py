"""axe-core on every public page in every language: any violation, of any impact, fails.

axe-core comes from the npm registry (package.json, installed by ``npm ci`` in
bin/setup) and is run in the page itself by Playwright, under the page's own
Content-Security-Policy. Each page is also saved as a screenshot in
tests/artifacts/ (``a11y-<page>-<language>.png``).
"""

from __future__ import annotations

import pytest

from .governments.helpers import one_in_each_state
from .helpers.browser import AXE, describe_violations, run_axe, screenshot

pytestmark = pytest.mark.browser

SLUG = "call-to-governments"
EVENT = "panel-playing-with-lives"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: bin/setup installs it with npm ci (needs node and npm)")
    return AXE.read_text()


def _seed(app) -> tuple[str, str, tuple[str, str]]:
    """The demo call with a few countries counted, a government in each state of the
    scoreboard, and a pending signature wanting news.

    Returns the signature's confirm and unsubscribe tokens.
    """
    from campaign import tokens
    from campaign.extensions import db
    from campaign.models import Signature
    from campaign.petitions import signing
    from campaign.petitions.cli import seed_demo
    from campaign.petitions.counters import adjust_counters
    from campaign.publications.demo import seed_demo_publication

    with app.app_context():
        petition, _created = seed_demo()
        db.session.flush()
        _with_a_cover(seed_demo_publication()[0])
        for code, n in {"CH": 420, "FR": 388, "ES": 251, "MX": 97, "KE": 45, "JP": 12}.items():
            adjust_counters(petition.id, code, n)
        signing.sign(
            petition,
            signing.SignatureRequest(
                name="Ada Lovelace",
                email="ada@example.org",
                country="GB",
                public=False,
                updates=True,
                language="en",
                consent_text="I agree.",
            ),
        )
        db.session.commit()
        one_in_each_state(petition.id)
        signature = db.session.scalars(db.select(Signature)).one()
        return (
            tokens.make(tokens.Purpose.CONFIRM, signature.public_id),
            tokens.make(tokens.Purpose.UNSUBSCRIBE, signature.public_id),
            _seed_event(petition),
        )


def _with_a_cover(publication) -> None:
    """The demo's report, with a cover described in English; in the other languages its
    description is left empty, as for a cover that only repeats the title."""
    import io

    from PIL import Image

    from campaign.notables.portraits import process
    from campaign.publications import services

    image = io.BytesIO()
    Image.new("RGB", (600, 850), (11, 94, 59)).save(image, format="PNG")
    services.set_cover(publication, process(image.getvalue(), 1 << 22, 600), None)
    english = next(t for t in publication.translations if t.language == "en")
    english.cover_alt = "The report's cover: its title on a green background"


def _seed_event(petition) -> tuple[str, str]:
    """The demo's panel, one registration waiting for its confirmation and one with a
    place: the tokens of the confirm page and of the registrant's own page."""
    from campaign import tokens
    from campaign.events import registrations
    from campaign.events.cli import seed_demo_event
    from campaign.extensions import db

    event, _created = seed_demo_event(petition)
    request = registrations.RegistrationRequest(
        name="Ada Lovelace",
        email="ada@example.org",
        country="GB",
        organisation=None,
        language="en",
        consent_text="I agree.",
    )
    pending = registrations.register(event, request)
    placed = registrations.register(
        event, registrations.RegistrationRequest(**{**request.__dict__, "email": "b@example.org"})
    )
    registrations.confirm(registrations.by_public_id(placed))
    db.session.commit()
    return (
        tokens.make(tokens.Purpose.EVENT_CONFIRM, pending),
        tokens.make(tokens.Purpose.EVENT_REGISTRATION, placed),
    )


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "zh", "ru"])
def test_public_pages_have_no_accessibility_violations(
    live_server, page, axe_source, artifacts, language
):
    token, unsubscribe, (event_confirm, event_own) = _seed(live_server.app)
    prefix = "" if language == "en" else f"/{language}"
    base = live_server.url + prefix
    pages = [
        ("home", f"{base}/"),
        ("calls", f"{base}/petitions"),
        ("petition", f"{base}/petitions/{SLUG}"),
        ("petition-errors", None),  # the form sent empty, below
        ("check-email", f"{base}/petitions/{SLUG}/check-email"),
        ("confirm", f"{base}/petitions/confirm/{token}"),
        ("thank-you", f"{base}/petitions/{SLUG}/thank-you"),
        ("privacy", f"{base}/privacy"),
        ("link-problem", f"{base}/petitions/confirm/not-a-real-token"),
        ("not-found", f"{base}/no-such-page"),
        ("embed", f"{base}/petitions/{SLUG}/embed"),
        ("unsubscribe", f"{base}/petitions/unsubscribe/{unsubscribe}"),
        ("governments", f"{base}/petitions/{SLUG}/governments"),
        ("publications", f"{base}/publications/"),
        ("publication", f"{base}/publications/playing-with-lives"),
        ("events", f"{base}/events/"),
        ("event", f"{base}/events/{EVENT}"),
        ("event-errors", None),  # its form sent empty, below
        ("event-check-email", f"{base}/events/{EVENT}/check-email"),
        ("event-confirm", f"{base}/events/confirm/{event_confirm}"),
        ("event-registration", f"{base}/events/registration/{event_own}"),
        ("event-link-problem", f"{base}/events/registration/not-a-real-token"),
    ]
    problems: list[str] = []
    for name, url in pages:
        if url is None:
            page.goto(
                f"{base}/events/{EVENT}" if name == "event-errors" else f"{base}/petitions/{SLUG}"
            )
            page.locator(".sign-form button[type=submit], .sign-form input[type=submit]").click()
            page.locator("#error-summary").wait_for()
        else:
            page.goto(url)
        # BCP 47: the site's Chinese (``zh`` in URLs) is Simplified.
        expected = {"zh": "zh-Hans"}.get(language, language)
        assert page.evaluate("document.documentElement.lang") == expected, name
        problems += describe_violations(f"{name} ({language})", run_axe(page, axe_source))
        screenshot(page, artifacts / f"a11y-{name}-{language}.png", full_page=True)
    assert not problems, "axe-core found violations:\n" + "\n".join(problems)
