"""``flask seed-signatures``: realistic synthetic signatures, with counters that agree."""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import CountryCount, Lifecycle, Petition, Signature, Validity


def _scripts(names: list[str]) -> set[str]:
    found = set()
    for name in names:
        for char in name:
            if char.isalpha():
                found.add(unicodedata.name(char).split()[0])
    return found


def test_seed_signatures_inserts_confirmed_valid_rows_and_reconciles(app, runner, petition):
    result = runner.invoke(args=["seed-signatures", petition["slug"], "600", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "600 signatures added" in result.output
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        assert call.signature_count == 600
        rows = db.session.execute(
            select(Signature.status, Signature.validity, func.count()).group_by(
                Signature.status, Signature.validity
            )
        ).all()
        assert rows == [(Lifecycle.CONFIRMED, Validity.OK, 600)]
        by_country = dict(
            db.session.execute(select(CountryCount.country, CountryCount.signature_count)).all()
        )
        assert sum(by_country.values()) == 600
        assert len(by_country) >= 20  # many countries
        public = db.session.scalar(select(func.count()).where(Signature.public))
        assert 100 < public < 400  # some, not all, chose to be shown
        names = list(db.session.scalars(select(Signature.name)))
        assert len(set(names)) > 100
        scripts = _scripts(names)
        for script in ("LATIN", "CYRILLIC", "ARABIC", "CJK", "DEVANAGARI"):
            assert script in scripts, script
        assert any(unicodedata.normalize("NFD", n) != n for n in names)  # diacritics
        # Signers read the site in their country's language where it has it: the six
        # UN languages all appear, Egypt in Arabic, China in Chinese, Russia in Russian.
        languages = dict(
            db.session.execute(select(Signature.country, Signature.language).distinct()).all()
        )
        assert {languages["EG"], languages["CN"], languages["RU"]} == {"ar", "zh", "ru"}
        used = set(db.session.scalars(select(Signature.language).distinct()))
        assert used == {"en", "fr", "es", "ar", "zh", "ru"}
        times = db.session.execute(select(Signature.created_at, Signature.confirmed_at)).all()
        assert all(created <= confirmed for created, confirmed in times)


def test_seed_signatures_refuses_an_unknown_call_and_a_bad_count(runner, petition):
    missing = runner.invoke(args=["seed-signatures", "no-such-call", "10"])
    assert missing.exit_code != 0 and "no call with the slug" in missing.output
    bad = runner.invoke(args=["seed-signatures", petition["slug"], "0"])
    assert bad.exit_code != 0


def test_seed_signatures_can_sign_everyone_from_one_country(app, runner, petition):
    """One government's largest package, for benchmarks: one country, names in every script."""
    result = runner.invoke(
        args=["seed-signatures", petition["slug"], "300", "--seed", "3", "--country", "CH"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalars(select(Signature.country).distinct()).all() == ["CH"]
        names = db.session.scalars(select(Signature.name)).all()
        assert any(not name.isascii() for name in names) and any(name.isascii() for name in names)
