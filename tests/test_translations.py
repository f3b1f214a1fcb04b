"""Languages: complete catalogues, pages and emails in the signer's language."""

from __future__ import annotations

import gettext
import re

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from .helpers.app import ROOT
from .helpers.journey import links_in, local_path, send_outbox, sign

TRANSLATIONS = ROOT / "translations"
SHIPPED = ("fr", "es", "ar", "zh", "ru")
# The plural form gettext must pick for each number, by language (CLDR's rules): French
# says "0 signature", Arabic tells 0, 1, 2, 3-10, 11-99 and 100-102 apart, Russian 1 and 21
# from 2-4 and 22 from 5-20.
NUMBERS = (0, 1, 2, 3, 5, 11, 21, 22, 100, 101, 102, 111)
PLURAL_FORM_OF = {
    "fr": (0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
    "es": (1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
    "ar": (0, 1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 4),
    "zh": (0,) * len(NUMBERS),
    "ru": (2, 0, 1, 1, 2, 2, 0, 1, 2, 0, 1, 2),
}

# The documented extraction command (README, "Translations"), run on a temporary file.
EXTRACT = [
    "pybabel",
    "-q",
    "extract",
    "-F",
    str(ROOT / "babel.cfg"),
    "-k",
    "_l",
    "-k",
    "lazy_gettext",
    "--ignore-dirs=.* node_modules",
]


def _catalog(path):
    with open(path, "rb") as f:
        return read_po(f)


def _ids(catalog) -> set:
    return {message.id for message in catalog if message.id}


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_static_files_have_one_address_in_every_language(client, petition, prefix):
    # Found on a rehearsal behind nginx: /fr/static/... went past the proxy's /static/
    # location to the app, and browsers kept a copy of each file per language.
    slug = petition["slug"]
    for path in (f"/petitions/{slug}", f"/petitions/{slug}/signatories", "/privacy"):
        page = client.get(prefix + path).get_data(as_text=True)
        addresses = re.findall(r'(?:href|src)="([^"]*/static/[^"]*)"', page)
        assert addresses and all(a.startswith("/static/") for a in addresses), addresses
        embed_code = re.findall(r"https?://[^\s\"'<>]*/static/js/embed-parent\.js", page)
        assert all("/static/js" in a and "/fr/" not in a and "/es/" not in a for a in embed_code)


# Plural messages whose translation is one sentence for every number, on purpose: the
# letter names the total first, so the number of a country needs no agreement.
SAME_FOR_EVERY_NUMBER = {
    "On behalf of %(organisation)s, we hand you the call “%(title)s”, signed by %(num)s "
    "person in %(country)s and by %(total)s people worldwide.",
}
# The same in one language only: the Arabic names the count after a noun ("the number of
# counted signatures ... is %(num)s", "other (%(num)d)"), so the noun needs no agreement.
SAME_FOR_EVERY_NUMBER_IN = {
    "ar": {
        "%(num)d other",
        "The call “%(title)s” has reached the threshold set for %(body)s (%(country)s): "
        "%(num)s counted signature from residents of %(country)s, for a threshold of "
        "%(threshold)s.",
    },
    # "ещё %(num)d", "Правительства, которым адресовано это обращение: %(num)d".
    "ru": {"%(num)d other", "The %(num)d government this call addresses"},
}


@pytest.mark.parametrize("language", [code for code in SHIPPED if max(PLURAL_FORM_OF[code]) > 0])
def test_plural_forms_differ_where_english_does(language):
    # Found in review: "%(num)d personne recevra" for every number, the plural form having
    # been filled with the singular.
    catalog = _catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    doubled = [
        message.id[0]
        for message in catalog
        if message.pluralizable
        and message.id[0] != message.id[1]
        and len(set(message.string)) == 1
        and message.id[0] not in SAME_FOR_EVERY_NUMBER
        and message.id[0] not in SAME_FOR_EVERY_NUMBER_IN.get(language, ())
    ]
    assert not doubled, doubled


@pytest.mark.parametrize("language", SHIPPED)
def test_plural_forms_are_counted_for_each_language(language):
    # A catalogue made with the wrong header would pick the wrong form for 2, 5 or 11
    # (Russian and Arabic), and a message with too few forms shows English for some numbers.
    catalog = _catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    expected = PLURAL_FORM_OF[language]
    assert catalog.num_plurals == max(expected) + 1
    plural = gettext.c2py(catalog.plural_expr)
    assert tuple(plural(n) for n in NUMBERS) == expected
    wrong = [
        message.id[0]
        for message in catalog
        if message.pluralizable and len(message.string) != catalog.num_plurals
    ]
    assert wrong == []


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_is_translated(language):
    catalog = _catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == [], f"untranslated in {language}"
    assert fuzzy == [], f"fuzzy in {language}"
    # Placeholders such as %(title)s must survive translation.
    problems = [(message.id, errors) for message, errors in catalog.check() if errors]
    assert problems == []


def test_catalogues_are_up_to_date_with_the_sources(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run([*EXTRACT, "-o", str(fresh), "."])
    expected = _ids(_catalog(fresh))
    assert len(expected) > 100  # the extraction found the templates and the code
    shipped = _ids(_catalog(TRANSLATIONS / "messages.pot"))
    assert sorted(map(str, expected - shipped)) == [], "run pybabel extract (see README)"
    assert sorted(map(str, shipped - expected)) == [], "run pybabel extract (see README)"
    for language in SHIPPED:
        po = _ids(_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"))
        assert po == expected, f"run pybabel update for {language} (see README)"


def test_compiled_catalogues_are_used(client, petition):
    french = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert "Signer l\u2019appel" in french  # a typographic apostrophe
    assert "Pays de résidence" in french
    spanish = client.get(f"/es/petitions/{petition['slug']}").get_data(as_text=True)
    assert "Firmar el llamamiento" in spanish
    assert "País de residencia" in spanish


@pytest.mark.parametrize(
    ("prefix", "message"),
    [("/fr", "Veuillez indiquer votre nom."), ("/es", "Indique su nombre.")],
)
def test_form_errors_in_the_page_language(client, petition, prefix, message):
    response = sign(client, petition["slug"], prefix=prefix, name="")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("prefix", "subject", "greeting", "confirm_heading", "button"),
    [
        (
            "/fr",
            "Veuillez confirmer votre signature\u00a0:",
            "Bonjour Ada Lovelace,",
            "Confirmez votre signature",
            "Confirmer ma signature",
        ),
        (
            "/es",
            "Confirme su firma:",
            "Hola, Ada Lovelace:",
            "Confirme su firma",
            "Confirmar mi firma",
        ),
        # The English name is isolated in the Arabic text (Unicode's isolate marks).
        (
            "/ar",
            "يُرجى تأكيد توقيعك:",
            "مرحبًا \u2068Ada Lovelace\u2069،",
            "أكّد توقيعك",
            "أكِّد توقيعي",
        ),
        ("/zh", "请确认您的签名：", "Ada Lovelace，您好：", "确认您的签名", "确认我的签名"),
        (
            "/ru",
            "Подтвердите свою подпись:",
            "Здравствуйте, Ada Lovelace!",
            "Подтвердите подпись",
            "Подтвердить мою подпись",
        ),
    ],
)
def test_a_signer_gets_the_email_and_confirm_page_in_their_language(
    app, client, smtp, petition, prefix, subject, greeting, confirm_heading, button
):
    response = sign(client, petition["slug"], prefix=prefix)
    assert response.status_code == 303
    send_outbox(app)
    mail = smtp.messages[-1]
    # Long ASCII subjects are folded onto the next line; mail clients trim the fold's space.
    assert mail["Subject"].strip().startswith(subject)
    assert greeting in mail.get_body(("plain",)).get_content()
    # In HTML the name is set apart by <bdi> in every language.
    html_greeting = greeting.replace("\u2068", "").replace("\u2069", "")
    html_greeting = html_greeting.replace("Ada Lovelace", "<bdi>Ada Lovelace</bdi>")
    assert html_greeting in mail.get_body(("html",)).get_content()
    [link] = links_in(mail)
    assert link.startswith(f"http://localhost{prefix}/petitions/confirm/")
    page = client.get(local_path(link)).get_data(as_text=True)
    rtl = ' dir="rtl"' if prefix == "/ar" else ""
    tag = {"zh": "zh-Hans"}.get(prefix[1:], prefix[1:])  # BCP 47: Simplified Chinese
    assert f'<html lang="{tag}"{rtl}>' in page
    assert f'<html lang="{tag}"{rtl}>' in mail.get_body(("html",)).get_content()
    assert f"<h1>{confirm_heading}</h1>" in page
    assert f'value="{button}"' in page


def test_french_plural_forms(client, petition):
    # French treats 0 and 1 alike (singular); English and Spanish say "0 signatures".
    french = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert re.search(r'count-number">0</strong>\s*signature\s*</p>', french)
    spanish = client.get(f"/es/petitions/{petition['slug']}").get_data(as_text=True)
    assert re.search(r'count-number">0</strong>\s*firmas\s*</p>', spanish)


def test_every_page_offers_the_other_languages(client, petition):
    page = client.get(f"/es/petitions/{petition['slug']}").get_data(as_text=True)
    assert f'href="/petitions/{petition["slug"]}" lang="en" hreflang="en">English' in page
    assert f'href="/fr/petitions/{petition["slug"]}" lang="fr" hreflang="fr">Français' in page
    assert '<span aria-current="true" lang="es">Español</span>' in page
    # Each UN language is named in itself; Arabic, written right to left, is isolated.
    slug = petition["slug"]
    assert f'href="/ar/petitions/{slug}" lang="ar" hreflang="ar" dir="rtl">العربية' in page
    assert f'href="/zh/petitions/{slug}" lang="zh-Hans" hreflang="zh-Hans">中文' in page
    assert f'href="/ru/petitions/{slug}" lang="ru" hreflang="ru">Русский' in page
    arabic = client.get(f"/ar/petitions/{slug}").get_data(as_text=True)
    assert f'href="/fr/petitions/{slug}" lang="fr" hreflang="fr" dir="ltr">Français' in arabic


@pytest.mark.parametrize(
    ("language", "html", "sign_button", "country", "og_locale"),
    [
        ("ar", '<html lang="ar" dir="rtl">', "وقِّع النداء", "بلد الإقامة", "ar_AR"),
        ("zh", '<html lang="zh-Hans">', "签署呼吁", "居住国", "zh_CN"),
        ("ru", '<html lang="ru">', "Подписать обращение", "Страна проживания", "ru_RU"),
    ],
)
def test_the_call_page_in_the_other_un_languages(
    client, petition, language, html, sign_button, country, og_locale
):
    page = client.get(f"/{language}/petitions/{petition['slug']}").get_data(as_text=True)
    assert html in page
    assert f'value="{sign_button}"' in page or f">{sign_button}<" in page
    assert country in page
    assert f'<meta property="og:locale" content="{og_locale}">' in page
    assert '<meta property="og:locale:alternate" content="ar_AR">' in page or language == "ar"


@pytest.mark.parametrize(
    ("prefix", "name", "text_greeting"),
    [
        ("", "ليلى خالد", "Hello \u2068ليلى خالد\u2069,"),
        ("/ar", "ليلى خالد", "مرحبًا ليلى خالد،"),
        ("/fr", "Ada Lovelace", "Bonjour Ada Lovelace,"),
    ],
)
def test_a_name_in_the_other_direction_is_isolated_in_the_email(
    app, client, smtp, petition, prefix, name, text_greeting
):
    # An Arabic name in an English email would otherwise carry the comma to its left;
    # plain text marks it (Unicode isolates) only when its direction differs from the
    # language's, HTML always sets it apart with <bdi>.
    assert sign(client, petition["slug"], prefix=prefix, name=name).status_code == 303
    send_outbox(app)
    mail = smtp.messages[-1]
    assert text_greeting in mail.get_body(("plain",)).get_content()
    assert f"<bdi>{name}</bdi>" in mail.get_body(("html",)).get_content()


def test_an_english_call_on_an_arabic_page_keeps_its_direction(app, client, petition):
    from sqlalchemy import delete

    from campaign.extensions import db
    from campaign.models import PetitionTranslation

    with app.app_context():
        db.session.execute(delete(PetitionTranslation).where(PetitionTranslation.language == "ar"))
        db.session.commit()
    # Without its Arabic text, the call's English title on a right-to-left page is marked
    # left to right, so its colon stays after "Governments".
    page = client.get(f"/ar/petitions/{petition['slug']}").get_data(as_text=True)
    assert '<h1 lang="en" dir="ltr">Governments: stop the cyberattacks on healthcare</h1>' in page


@pytest.mark.parametrize(
    ("header", "location"),
    [
        ("es-ES,es;q=0.9", "/es/"),
        ("fr;q=0.8,en;q=0.9", None),
        ("de, es;q=0.5", "/es/"),
        ("ar-EG,ar;q=0.9,en;q=0.8", "/ar/"),
        ("zh-CN,zh;q=0.9", "/zh/"),
        ("ru-RU", "/ru/"),
    ],
)
def test_home_sends_a_browser_to_its_language(client, petition, header, location):
    response = client.get("/", headers={"Accept-Language": header})
    if location is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.headers["Location"] == location
    assert response.headers["Vary"] == "Accept-Language"


# -- the call's own text in several languages ----------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "category", "title_of_tutu"),
    [
        (
            "ar",
            "إلى الحكومات: أوقفوا الهجمات السيبرانية على الرعاية الصحية",
            "الحائزون جائزة نوبل للسلام",
            "رئيس الأساقفة الفخري، حائز جائزة نوبل للسلام",
        ),
        (
            "zh",
            "各国政府：停止针对医疗卫生领域的网络攻击",
            "诺贝尔和平奖得主",
            "荣休大主教，诺贝尔和平奖得主",
        ),
        (
            "ru",
            "Правительства: остановите кибератаки на здравоохранение",
            "Лауреаты Нобелевской премии мира",
            "Почётный архиепископ, лауреат Нобелевской премии мира",
        ),
    ],
)
def test_the_demo_call_in_the_other_un_languages(
    client, petition, language, title, category, title_of_tutu
):
    page = client.get(f"/{language}/petitions/{petition['slug']}").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in page
    assert category in page and title_of_tutu in page
    assert "To the governments of the world" not in page
    data = client.get(f"/{language}/petitions/{petition['slug']}.json").get_json()
    assert data["title"] == title


def test_the_call_is_shown_in_the_page_language_when_translated(client, petition):
    french = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert "<h1>Gouvernements\u00a0: mettez fin aux cyberattaques contre la santé</h1>" in french
    assert "Aux gouvernements du monde entier" in french
    assert "To the governments of the world" not in french
    spanish = client.get(f"/es/petitions/{petition['slug']}.json").get_json()
    assert spanish["title"] == "Gobiernos: pongan fin a los ciberataques contra la sanidad"
    english = client.get(f"/petitions/{petition['slug']}.json").get_json()
    assert english["title"] == "Governments: stop the cyberattacks on healthcare"


def test_an_untranslated_call_falls_back_to_its_own_language(app, client, petition):
    from sqlalchemy import delete

    from campaign.extensions import db
    from campaign.models import PetitionTranslation

    with app.app_context():
        db.session.execute(delete(PetitionTranslation).where(PetitionTranslation.language == "es"))
        db.session.commit()
    page = client.get(f"/es/petitions/{petition['slug']}").get_data(as_text=True)
    # The page is Spanish; the call's text is English and marked so for screen readers.
    assert '<html lang="es">' in page and "Firmar el llamamiento" in page
    assert '<h1 lang="en">Governments: stop the cyberattacks on healthcare</h1>' in page
    assert '<div class="prose" lang="en">' in page


def test_the_email_uses_the_call_title_in_the_signers_language(app, client, smtp, petition):
    sign(client, petition["slug"], prefix="/fr")
    send_outbox(app)
    mail = smtp.messages[-1]
    assert "mettez fin aux cyberattaques" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert "Merci d\u2019avoir signé «\u00a0Gouvernements" in text


def test_seeding_twice_keeps_one_translation_per_language(app, petition):
    from sqlalchemy import select

    from campaign.extensions import db
    from campaign.models import PetitionTranslation
    from campaign.petitions.cli import seed_demo

    with app.app_context():
        seed_demo()
        db.session.commit()
        languages = db.session.scalars(select(PetitionTranslation.language)).all()
    assert sorted(languages) == ["ar", "es", "fr", "ru", "zh"]
