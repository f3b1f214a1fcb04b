"""The cover letter's content: the call in the letter's language (or visibly not), the
addressee, the place and date, the totals by country in alphabetical order, the first
signatories and the closing; and the rule that keeps the call's appeal to the public
("Add your name…") out of a letter to a government."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from campaign.extensions import db
from campaign.letters.cover import default_cover, save_cover_text
from campaign.letters.formatting import countries_by_name, place_and_date
from campaign.letters.text import is_appeal, plain_blocks, without_closing_appeal
from campaign.models import GovernmentTarget, NotableSignatory, Petition

from .helpers import NOON, content, drop_settings, drop_translation, make_call

FRENCH_TITLE = "Gouvernements\u00a0: mettez fin aux cyberattaques contre la santé"
SPANISH_TITLE = "Gobiernos: pongan fin a los ciberataques contra la sanidad"


def _translated(app, language: str, message: str, **variables) -> str:
    with app.test_request_context(), force_locale(language):
        return _(message, **variables)


# -- the call in the letter's language ------------------------------------------------------


def test_a_french_letter_gives_the_french_call_to_the_targets_body(app, petition):
    letter = content(app, petition["id"], "fr")
    assert letter.language == "fr"
    assert letter.subject == letter.call.title == FRENCH_TITLE
    assert letter.call.language == "fr" and not letter.call.fallback
    assert letter.call.fallback_note == ""
    assert letter.call.blocks[0].text == "Aux gouvernements du monde entier,"
    assert [b.marker for b in letter.call.blocks if b.kind == "item"] == ["1.", "2.", "3.", "4."]
    # Addressed to the body the call's target names, at its postal address.
    assert letter.addressee.from_target
    assert letter.addressee.lines == (
        "Federal Department of Foreign Affairs",
        "Bundeshaus West",
        "3003 Bern",
        "Switzerland",
    )
    assert letter.addressee.country_name == "Suisse"
    assert letter.place_date == "Genève, le 3 décembre 2026"
    assert letter.salutation == "Madame, Monsieur,"
    assert letter.call.heading == "L’appel"


def test_a_spanish_and_an_english_letter_each_in_their_language(app, petition):
    spanish = content(app, petition["id"], "es", "ES")
    assert spanish.subject == SPANISH_TITLE and not spanish.call.fallback
    assert spanish.place_date == "Ginebra, 3 de diciembre de 2026"
    assert spanish.addressee.lines[0] == (
        "Ministerio de Asuntos Exteriores, Unión Europea y Cooperación"
    )
    assert spanish.closing.lines == ("Atentamente,", "CyberPeace Institute")

    english = content(app, petition["id"], "en", "DE")
    assert english.subject == "Governments: stop the cyberattacks on healthcare"
    assert english.place_date == "Geneva, 3 December 2026"
    assert english.addressee.lines == (
        "Federal Foreign Office",
        "Werderscher Markt 1",
        "10117 Berlin",
        "Germany",
    )
    assert english.closing.lines == ("Yours faithfully,", "CyberPeace Institute")


def test_without_a_translation_the_letter_gives_the_main_text_and_says_so(app, petition):
    drop_translation(app, petition["id"], "es")
    letter = content(app, petition["id"], "es", "ES")
    assert letter.call.fallback and letter.call.language == "en"
    assert letter.subject == "Governments: stop the cyberattacks on healthcare"
    # The note names both languages in the letter's language.
    assert "español" in letter.call.fallback_note and "inglés" in letter.call.fallback_note
    # No cover text in another language: the letter opens with its introduction alone.
    assert letter.cover == () and letter.cover_is_default
    # The rest of the letter is still in Spanish.
    assert letter.place_date == "Ginebra, 3 de diciembre de 2026"
    assert letter.salutation == "Señoras y señores:"
    # The French letter is unaffected.
    assert not content(app, petition["id"], "fr").call.fallback


def test_a_letter_is_dated_in_the_calls_time_zone(app, petition):
    late = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # 00:30 on the 4th in Geneva
    assert content(app, petition["id"], "en", now=late).place_date == "Geneva, 4 December 2026"


# -- whom it is addressed to ---------------------------------------------------------------


def test_without_a_target_the_letter_goes_to_the_countrys_government(app, petition):
    for language, country_name in (("en", "Japan"), ("fr", "Japon"), ("es", "Japón")):
        letter = content(app, petition["id"], language, "JP", counts={"JP": 2})
        expected = _translated(app, language, "The Government")
        assert not letter.addressee.from_target
        assert letter.addressee.body == expected
        assert letter.addressee.lines == (expected, country_name)
    assert content(app, petition["id"], "fr", "JP").addressee.lines == ("Le Gouvernement", "Japon")


def test_a_target_without_a_postal_address_is_followed_by_its_country(app, petition):
    with app.app_context():
        db.session.execute(
            update(GovernmentTarget)
            .where(GovernmentTarget.country == "FR")
            .values(postal_address="")
        )
        db.session.commit()
    letter = content(app, petition["id"], "fr", "FR")
    assert letter.addressee.lines == ("Ministère de l’Europe et des Affaires étrangères", "France")


# -- the letterhead, date line, totals, first signatories -------------------------------


def test_the_letterhead_is_the_organisations_settings(app, petition):
    head = content(app, petition["id"], "en").letterhead
    assert head.configured and head.name == "CyberPeace Institute"
    assert head.address_lines == ("Chemin des Mines 9", "1202 Geneva", "Switzerland")
    assert head.email.endswith("@example.org") and head.website.startswith("https://")
    assert head.logo_png is None and head.logo_size is None


def test_before_any_settings_the_letter_names_the_calls_organisation(app, petition):
    drop_settings(app)
    letter = content(app, petition["id"], "fr")
    assert not letter.letterhead.configured
    assert letter.letterhead.name == "CyberPeace Institute"
    assert letter.letterhead.address_lines == () and letter.letterhead.email == ""
    assert letter.place_date == "Le 3 décembre 2026"
    assert letter.closing.signatory == ""


@pytest.mark.parametrize(
    ("place", "language", "expected"),
    [
        ("Genève", "fr", "Genève, le 3 décembre 2026"),
        ("Ginebra", "es", "Ginebra, 3 de diciembre de 2026"),
        ("Geneva", "en", "Geneva, 3 December 2026"),
        ("", "en", "3 December 2026"),
        ("Genf", "de", "Genf, 3. Dezember 2026"),  # a language without a pattern: CLDR's long
        # Arabic's comma, Chinese's full-width one, no space after it.
        ("جنيف", "ar", "جنيف، 3 ديسمبر 2026"),
        ("日内瓦", "zh", "日内瓦，2026年12月3日"),
        ("Женева", "ru", "Женева, 3 декабря 2026\u202fг."),
    ],
)
def test_place_and_date_follow_each_languages_letters(place, language, expected):
    assert place_and_date(place, NOON.date(), language) == expected


def test_totals_and_the_country_table_in_the_letters_alphabet(app, petition):
    counts = {"CH": 3, "FR": 1234, "AE": 1, "EG": 2, "US": 5, "DE": 0}
    letter = content(app, petition["id"], "fr", counts=counts)
    totals = letter.totals
    assert (totals.country, totals.worldwide, totals.countries) == (3, 1245, 5)
    assert [row.name for row in totals.by_country] == [
        "Égypte",
        "Émirats arabes unis",
        "États-Unis",
        "France",
        "Suisse",
    ]
    assert [row.code for row in totals.by_country if row.addressed] == ["CH"]
    # Numbers are formatted in the language inside the introduction.
    assert "1\u202f245" in letter.introduction and "CyberPeace Institute" in letter.introduction


def test_countries_sort_by_name_in_french_and_in_spanish():
    codes = ["AE", "EG", "ES", "US", "SV", "ZA", "DE", "IS", "CH"]
    assert [name for _code, name in countries_by_name(codes, "fr")] == [
        "Afrique du Sud",
        "Allemagne",
        "Égypte",
        "Émirats arabes unis",
        "Espagne",
        "États-Unis",
        "Islande",
        "Salvador",
        "Suisse",
    ]
    assert [name for _code, name in countries_by_name(codes, "es")] == [
        "Alemania",
        "Egipto",
        "El Salvador",
        "Emiratos Árabes Unidos",
        "España",
        "Estados Unidos",
        "Islandia",
        "Sudáfrica",
        "Suiza",
    ]


def test_the_first_signatories_are_the_visible_notables_in_order(app, petition):
    with app.app_context():
        db.session.execute(
            update(NotableSignatory)
            .where(NotableSignatory.name == "Brad Smith")
            .values(visible=False)
        )
        db.session.commit()
        expected = [
            n.name
            for n in db.session.scalars(
                select(NotableSignatory)
                .where(NotableSignatory.visible)
                .order_by(NotableSignatory.sort_order, NotableSignatory.id)
            )
        ]
    first = content(app, petition["id"], "es").first_signatories
    assert first.heading == "Primeros firmantes"
    assert [p.name for p in first.people] == expected and "Brad Smith" not in expected
    assert first.people[0].title


# -- the call's appeal to the public stays out ---------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_letter_leaves_out_the_calls_add_your_name_sentence(app, petition, language):
    letter = content(app, petition["id"], language)
    everything = " ".join(
        [letter.introduction, *letter.cover, *(b.text for b in letter.call.blocks)]
    )
    closing = {"en": "Add your name", "fr": "Ajoutez votre nom", "es": "Añada su nombre"}
    assert closing[language] not in everything
    assert letter.call.left_out and letter.call.left_out[0].startswith(closing[language])
    # What the paragraph says to governments stays.
    last = {
        "en": "Healthcare must be off limits.",
        "fr": "La santé doit rester hors d’atteinte.",
        "es": "La sanidad debe quedar fuera de todo ataque.",
    }
    assert letter.call.blocks[-1].text == last[language]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_default_cover_is_the_summary_without_its_appeal(app, petition, language):
    letter = content(app, petition["id"], language)
    assert letter.cover_is_default
    expected = {
        "en": "Hospitals, medical researchers and public health bodies are under cyberattack.",
        "fr": "Hôpitaux, chercheurs en médecine et autorités de santé publique sont la cible "
        "de cyberattaques.",
        "es": "Hospitales, investigadores médicos y organismos de salud pública sufren "
        "ciberataques.",
    }
    assert letter.cover == (expected[language],)


APPEALS = [
    "Add your name, and help us carry this message.",
    "Please sign the call today!",
    "Join the campaign first published in 2020.",
    "Share this petition with your friends.",
    "Ajoutez votre nom, et aidez-nous.",
    "Signez l’appel.",
    "Rejoignez l’appel publié le 26 mai 2020.",
    "Añada su nombre y ayúdenos.",
    "Súmese al llamamiento.",
    "Firme ahora.",
]
NOT_APPEALS = [
    "We, the undersigned, ask you to act now:",
    "Join forces with civil society and with industry.",
    "Healthcare must be off limits.",
    "Nous, signataires, vous demandons d’agir dès maintenant :",
    "Unissez vos forces à celles de la société civile.",
    "Quienes firmamos este llamamiento les pedimos que actúen ya:",
    "Actúen sin demora y con firmeza.",
    "Signed by 1,200 people in Switzerland.",
]


@pytest.mark.parametrize("sentence", APPEALS)
def test_appeals_to_sign_are_recognised(sentence):
    assert is_appeal(sentence)


@pytest.mark.parametrize("sentence", NOT_APPEALS)
def test_what_the_call_asks_of_governments_is_no_appeal(sentence):
    assert not is_appeal(sentence)


@pytest.mark.parametrize(
    ("summary", "body"),
    [
        # The summary is the closing appeal itself.
        (
            "Add your name today.",
            "Dear governments,\n\nClinics save lives.\n\nAdd your name today.",
        ),
        # The whole last paragraph is the appeal, after a paragraph that is not.
        ("", "To the ministers,\n\nClinics save lives. Keep them open.\n\nSign the call now!"),
        # The summary ends with the call's closing appeal, word for word.
        (
            "Clinics are closing. Add your name, and pass it on.",
            "Clinics save lives.\n\nClinics are closing. Add your name, and pass it on.",
        ),
    ],
)
def test_the_default_cover_never_repeats_the_calls_closing_appeal(app, summary, body):
    """Whatever the call's summary, the default cover text is never its closing appeal."""
    call_id = make_call(app, summary=summary, body=body)
    with app.app_context():
        petition = db.session.get(Petition, call_id)
        blocks = plain_blocks(petition.body_markdown)
        kept, left_out = without_closing_appeal(blocks)
        last_paragraph = blocks[-1].text
        default = default_cover(petition, "en")
    assert left_out, "each of these calls closes with an appeal"
    assert default and all(
        paragraph != last_paragraph
        and last_paragraph not in paragraph
        and not any(sentence in paragraph for sentence in left_out)
        for paragraph in default
    )
    assert all(b.text != last_paragraph or not left_out for b in kept)


def test_a_call_that_is_all_appeal_has_no_default_cover(app):
    call_id = make_call(app, summary="Sign now!", body="Add your name.")
    with app.app_context():
        assert default_cover(db.session.get(Petition, call_id), "en") == []


def test_an_appeal_in_the_middle_of_the_call_is_left_as_signed():
    blocks = plain_blocks("Add your name if you agree.\n\nWe ask you to act.")
    kept, left_out = without_closing_appeal(blocks)
    assert kept == blocks and left_out == []


# -- the cover text written by editors -------------------------------------------------------


def test_a_written_cover_text_replaces_the_default_in_its_language_only(app, petition):
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        save_cover_text(call, "fr", "Premier paragraphe,\nsur deux lignes.\n\nSecond.", None)
        db.session.commit()
    french = content(app, petition["id"], "fr")
    assert french.cover == ("Premier paragraphe, sur deux lignes.", "Second.")
    assert not french.cover_is_default
    assert content(app, petition["id"], "es").cover_is_default
