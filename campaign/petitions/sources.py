"""Where signatures come from: the link's ``ref``, the embed's ``partner``, and what each brought.

A link to the call may carry ``?ref=newsletter-june``: the page puts it in
the sign form as a hidden field (no cookie, no session), and the submission
records it. What is not a short slug is recorded as none: a source is never
a reason to refuse a signature. A partner's embed names the partner in its
own address (``?partner=``, ``petitions.partners``), and its form posts there.

The dashboard counts, per source and per partner, the form posts and the
signatures among them that count (``COUNTED``, the one definition), and so
the conversion rate. A post is a submission row; a pending submission
deleted before it was confirmed leaves its count in ``DiscardedPosts``
(:func:`remember_deleted`), so posts stay what was posted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select, text

from ..extensions import db
from ..models import COUNTED, DiscardedPosts, Petition, Signature

# A short slug: lower-case letters, digits, hyphens and underscores, up to 40 characters.
SOURCE_RULE = re.compile(r"[a-z0-9_-]{1,40}")

# The dashboard lists this many sources (and as many partners); the rest share one row.
SHOWN = 30


def source_slug(value: object) -> str | None:
    """``value`` when it is a short slug, else None (recorded as no source)."""
    if isinstance(value, str) and SOURCE_RULE.fullmatch(value):
        return value
    return None


# -- remembering posts whose rows go -------------------------------------------------------

_REMEMBER = text(
    "INSERT INTO discarded_posts (petition_id, ref, partner, posts)"
    " VALUES (:petition_id, :ref, :partner, :posts)"
    " ON CONFLICT (petition_id, ref, partner)"
    " DO UPDATE SET posts = discarded_posts.posts + excluded.posts"
)


def remember_deleted(rows: Iterable[Sequence[object]]) -> int:
    """Count deleted submissions, given as ``(petition_id, ref, partner)`` rows (what
    their DELETE returned), as posts of their sources; returns how many there were."""
    deleted = Counter((row[0], row[1] or "", row[2] or "") for row in rows)
    if deleted:
        db.session.execute(
            _REMEMBER,
            [
                {"petition_id": petition_id, "ref": ref, "partner": partner, "posts": posts}
                for (petition_id, ref, partner), posts in sorted(deleted.items())
            ],
        )
    return deleted.total()


# -- the dashboard's tables ---------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    """One source's (or partner's) form posts and the signatures among them that count.

    ``name`` None is no source ("direct") or no partner; ``grouped`` is how many
    sources a row of the least busy ones stands for (0 for a source's own row).
    """

    name: str | None
    posts: int
    counted: int
    grouped: int = 0

    @property
    def rate(self) -> float | None:
        """Counted signatures per form post (None before any post)."""
        return self.counted / self.posts if self.posts else None


@dataclass(frozen=True)
class SourceTable:
    rows: list[SourceRow]
    total: SourceRow


@dataclass(frozen=True)
class Conversion:
    by_source: SourceTable
    by_partner: SourceTable


def conversion(petition: Petition) -> Conversion:
    """The call's form posts and counted signatures by source and by partner.

    One grouped query over the call's rows (read from the index on state and
    source alone) and one over the posts since deleted.
    """
    counted = func.count(case((COUNTED, 1)))
    held = db.session.execute(
        select(Signature.ref, Signature.partner, func.count(), counted)
        .where(Signature.petition_id == petition.id)
        .group_by(Signature.ref, Signature.partner)
    ).all()
    gone = db.session.execute(
        select(DiscardedPosts.ref, DiscardedPosts.partner, DiscardedPosts.posts).where(
            DiscardedPosts.petition_id == petition.id
        )
    ).all()
    posts: dict[str, Counter[str | None]] = {"ref": Counter(), "partner": Counter()}
    confirmed: dict[str, Counter[str | None]] = {"ref": Counter(), "partner": Counter()}
    for ref, partner, n, n_counted in held:
        for kind, name in (("ref", ref), ("partner", partner)):
            posts[kind][name or None] += n
            confirmed[kind][name or None] += n_counted
    for ref, partner, n in gone:
        posts["ref"][ref or None] += n
        posts["partner"][partner or None] += n
    return Conversion(
        by_source=_table(posts["ref"], confirmed["ref"]),
        by_partner=_table(posts["partner"], confirmed["partner"]),
    )


def _table(posts: Counter[str | None], counted: Counter[str | None]) -> SourceTable:
    """Rows busiest first, with the row for none always there; past ``SHOWN`` sources, the
    least busy share one row, so a flood of made-up refs cannot swamp the page."""
    named = sorted(
        (SourceRow(name, posts[name], counted[name]) for name in posts if name is not None),
        key=lambda row: (-row.posts, -row.counted, row.name),
    )
    rows = [SourceRow(None, posts[None], counted[None]), *named[:SHOWN]]
    rest = named[SHOWN:]
    if rest:
        rows.append(
            SourceRow(
                None,
                sum(row.posts for row in rest),
                sum(row.counted for row in rest),
                grouped=len(rest),
            )
        )
    total = SourceRow(None, sum(posts.values()), sum(counted.values()))
    return SourceTable(rows=rows, total=total)
