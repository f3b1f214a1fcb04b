"""The demo call: its text, notable signatories, a few governments it addresses, and the
letterhead of its cover letters (contacts at example.org: the demo writes to nobody)."""

from datetime import UTC, datetime

CALL: dict = {
    "slug": "call-to-governments",
    "title": "Governments: stop the cyberattacks on healthcare",
    "summary": (
        "Hospitals, medical researchers and public health bodies are under "
        "cyberattack. Join the call first published by the CyberPeace "
        "Institute on 26 May 2020 and ask governments to act now."
    ),
    "body_markdown": """\
To the governments of the world,

Since the COVID-19 pandemic began, the people who look after the sick have been \
working under a second threat: attackers breaking into the computer systems that \
hospitals, laboratories and public health agencies depend on. When those systems \
fail, treatment is delayed, research stalls and lives are put at risk. No motive, \
political or financial, can excuse this.

We, the undersigned, ask you to act now:

1. **Stop the attacks.** Act without delay, and firmly, to end every \
cyberattack on hospitals, on healthcare and medical research facilities, on \
medical staff and on the international organisations that safeguard public \
health.
2. **Reaffirm the rules.** Work with one another, including at the United \
Nations, to state again, clearly and together, that international law forbids \
these attacks.
3. **Protect medical facilities together.** Join forces with civil society and \
with industry so that the places where patients are treated and where cures \
are developed get the protection they need.
4. **Hold the perpetrators to account.** Make sure that whoever carries out \
these attacks answers for them.

Healthcare must be off limits. Add your name, and help us carry this message \
to the people who have the power to make it so.
""",
    "background_markdown": """\
## Why now

In the first months of the COVID-19 pandemic, with health systems already \
stretched, the health sector itself became a target. Hospitals and health \
bodies in the Czech Republic, France, Spain, Thailand and the United States \
were hit, and so was the World Health Organization.

The attacks came in more than one form. Ransomware locked care networks out of \
their own systems. Disinformation campaigns went after testing and the \
research into a vaccine, eroding trust at the very moment it was needed most.

The CyberPeace Institute's warning was plain: COVID-19 will not be the last \
health emergency, and unless governments act, the next one will bring the \
same attacks. That is why this call is addressed to them.

## What came next

The call became part of the institute's wider Cyber4Healthcare work. On \
9 March 2021 it published a follow-up report, *Playing with Lives: \
Cyberattacks on Healthcare are Attacks on People*, available in English, \
French and Spanish. Its message to governments: attacking healthcare has to \
stop paying off, so that neither criminals nor hostile states gain anything \
from it.
""",
    "organisation": "CyberPeace Institute",
    "organisation_url": "https://cyberpeaceinstitute.org",
    "organisation_blurb": (
        "The CyberPeace Institute is an independent non-governmental "
        "organisation based in Geneva that works to make sure people harmed "
        "by cyberattacks get support and that those behind the attacks answer "
        "for them. It launched this call with the backing of the "
        "International Committee of the Red Cross and carried it as "
        "full-page advertisements in major newspapers."
    ),
    "opened_at": datetime(2020, 5, 26, 7, 0, tzinfo=UTC),
    "timezone": "Europe/Zurich",
    "goal": 100000,
    "language": "en",
}


CATEGORIES: list[str] = [
    "Nobel Peace Prize laureate",
    "Former head of state or government",
    "Former ministers and officials",
    "International organisations",
    "Industry",
    "Civil society",
]


NOTABLE_SIGNATORIES: list[dict] = [
    # Nobel Peace Prize laureates (listed here even when also a former head of state)
    {
        "name": "Desmond Tutu",
        "title": "Archbishop Emeritus, Nobel Peace Prize laureate",
        "organisation": "",
        "country": "ZA",
        "category": "Nobel Peace Prize laureate",
    },
    {
        "name": "Mohamed ElBaradei",
        "title": "Former Director General of the IAEA, Nobel Peace Prize laureate",
        "organisation": "International Atomic Energy Agency",
        "country": "EG",
        "category": "Nobel Peace Prize laureate",
    },
    {
        "name": "Mikhail Gorbachev",
        "title": "Former President of the Soviet Union, Nobel Peace Prize laureate",
        "organisation": "",
        "country": "RU",
        "category": "Nobel Peace Prize laureate",
    },
    {
        "name": "Lech Wałęsa",
        "title": "Former President of Poland, Nobel Peace Prize laureate",
        "organisation": "",
        "country": "PL",
        "category": "Nobel Peace Prize laureate",
    },
    {
        "name": "Juan Manuel Santos",
        "title": "Former President of Colombia, Nobel Peace Prize laureate",
        "organisation": "",
        "country": "CO",
        "category": "Nobel Peace Prize laureate",
    },
    # Former heads of state or government
    {
        "name": "Ernesto Zedillo",
        "title": "Former President of Mexico",
        "organisation": "",
        "country": "MX",
        "category": "Former head of state or government",
    },
    # Former ministers and officials
    {
        "name": "Madeleine Albright",
        "title": "Former US Secretary of State",
        "organisation": "",
        "country": "US",
        "category": "Former ministers and officials",
    },
    {
        "name": "Igor Ivanov",
        "title": "Former Minister of Foreign Affairs of Russia",
        "organisation": "",
        "country": "RU",
        "category": "Former ministers and officials",
    },
    # International organisations
    {
        "name": "Ban Ki-moon",
        "title": "Former Secretary-General of the United Nations",
        "organisation": "United Nations",
        "country": "KR",
        "category": "International organisations",
    },
    {
        "name": "Zeid Ra'ad Al Hussein",
        "title": "Former UN High Commissioner for Human Rights",
        "organisation": "United Nations",
        "country": "JO",
        "category": "International organisations",
    },
    {
        "name": "Margaret Chan",
        "title": "Former Director-General of the World Health Organization",
        "organisation": "World Health Organization",
        "country": "HK",
        "category": "International organisations",
    },
    {
        "name": "Peter Maurer",
        "title": "President of the International Committee of the Red Cross",
        "organisation": "International Committee of the Red Cross",
        "country": "CH",
        "category": "International organisations",
    },
    # Industry
    {
        "name": "Brad Smith",
        "title": "President of Microsoft",
        "organisation": "Microsoft",
        "country": "US",
        "category": "Industry",
    },
    {
        "name": "Eugene Kaspersky",
        "title": "CEO of Kaspersky",
        "organisation": "Kaspersky",
        "country": "RU",
        "category": "Industry",
    },
    # Civil society
    {
        "name": "Marietje Schaake",
        "title": "President of the CyberPeace Institute",
        "organisation": "CyberPeace Institute",
        "country": "NL",
        "category": "Civil society",
    },
    {
        "name": "Stéphane Duguin",
        "title": "CEO of the CyberPeace Institute",
        "organisation": "CyberPeace Institute",
        "country": "FR",
        "category": "Civil society",
    },
]


# The call's own text in the other UN languages, as its organisers would write it
# (see PetitionTranslation); written for this project, like the English.
GOVERNMENT_TARGETS: list[dict] = [
    {
        "country": "CH",
        "body": "Federal Department of Foreign Affairs",
        "emails": "cyberpeace-demo.fdfa@example.org\nsecretariat.fdfa@example.org",
        "postal_address": "Bundeshaus West\n3003 Bern\nSwitzerland",
        "languages": "fr en",
        "threshold": 1000,
    },
    {
        "country": "FR",
        "body": "Ministère de l’Europe et des Affaires étrangères",
        "emails": "cyberpeace-demo.meae@example.org",
        "postal_address": "37 quai d’Orsay\n75007 Paris\nFrance",
        "languages": "fr",
        "threshold": 1000,
    },
    {
        "country": "ES",
        "body": "Ministerio de Asuntos Exteriores, Unión Europea y Cooperación",
        "emails": "cyberpeace-demo.maec@example.org",
        "postal_address": "Plaza de la Provincia, 1\n28012 Madrid\nEspaña",
        "languages": "es",
        "threshold": 500,
    },
    {
        "country": "DE",
        "body": "Federal Foreign Office",
        "emails": "cyberpeace-demo.aa@example.org",
        "postal_address": "Werderscher Markt 1\n10117 Berlin\nGermany",
        "languages": "en",
        "threshold": 1000,
    },
    {
        "country": "KE",
        "body": "Ministry of Foreign and Diaspora Affairs",
        "emails": "cyberpeace-demo.mfa-ke@example.org",
        "postal_address": "Old Treasury Building, Harambee Avenue\nNairobi\nKenya",
        "languages": "en",
        "threshold": 250,
    },
    {
        "country": "BR",
        "body": "Ministry of Foreign Affairs (Itamaraty)",
        "emails": "cyberpeace-demo.itamaraty@example.org",
        "postal_address": "Palácio Itamaraty, Esplanada dos Ministérios\nBrasília, DF\nBrazil",
        "languages": "es en",
        "threshold": 500,
    },
]


# The organisation's settings (campaign.letters): the sender of every cover letter.
ORGANISATION: dict = {
    "name": "CyberPeace Institute",
    "postal_address": "Chemin des Mines 9\n1202 Geneva\nSwitzerland",
    "contact_email": "cyberpeace-demo.letters@example.org",
    "website": "https://cyberpeaceinstitute.org",
    "place": "Geneva",
    "place_names": {"fr": "Genève", "es": "Ginebra", "ar": "جنيف", "zh": "日内瓦", "ru": "Женева"},
    "signatory": "",
}


# The demo's one publication (campaign.publications): the institute's report, with a
# summary written for this demo from the report's public description, and a generated
# sample PDF per language that says on its first page it is not the real report.
