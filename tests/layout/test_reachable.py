"""Every back-office page wears the back office's navigation and breadcrumbs, and every one
can be reached by following links from the organisers' area's first page.

The pages are every GET route under /organiser, read from the app's URL map and filled
in with the rows of a busy call (tests/layout/crowded.py), so a page added later is
checked too. The crawl signs in as an administrator (who may see every page) and
follows links (``<a href>``) from /organiser/; a page that shows one row (an update,
a government, a package job) must be linked from a page above it in its breadcrumbs,
its list, not only from somewhere unrelated.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException

from campaign.extensions import db
from campaign.models import Petition
from campaign.organisers.navigation import PAGES

from ..helpers.backoffice import signed_in
from .crowded import back_office_paths, crowd

# Pages no link leads to, and why.
UNLINKED = {
    "organisers.sign_in": "the door, shown to whoever is signed out",
    "organisers.sign_in_code": "the second step of signing in, after a password",
    "organisers.forgot_password": "linked from the sign-in page, shown signed out",
    "organisers.reset_password": "opened from the link in a reset email",
    "organisers.accept_invitation": "opened from the link in an invitation",
    "exports.delivery_job_progress": "the progress bar's JSON, fetched by the job page's script",
}
# Links followed but not fetched: files, which the audit log records as downloads.
FILES = {"exports.full_csv", "exports.download_delivery"}
# Pages that show the call's public page as the public sees it: no back-office menu,
# but breadcrumbs back to it above the preview's banner.
PUBLIC_LOOK = {"organisers.petition_preview"}
# Enough rows of one list to show its links work; a list of thousands proves no more.
VISITS_PER_ENDPOINT = 3


class Page(HTMLParser):
    """What the test reads in a page: its links, its menus and its breadcrumbs."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.navs: list[str] = []
        self.crumbs: list[dict[str, str | None]] = []
        self._in_crumbs = False
        self._in_list = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "nav":
            self.navs.append(attrs.get("aria-label") or "")
            self._in_crumbs = attrs.get("aria-label") == "Breadcrumb"
        elif tag == "ol" and self._in_crumbs:
            self._in_list = True
        elif tag == "li" and self._in_list:
            self.crumbs.append({"href": None, "current": None})
        elif tag in ("a", "span") and self._in_list and self.crumbs:
            self.crumbs[-1]["href"] = self.crumbs[-1]["href"] or attrs.get("href")
            self.crumbs[-1]["current"] = self.crumbs[-1]["current"] or attrs.get("aria-current")

    def handle_endtag(self, tag):
        if tag in ("ol", "nav"):
            self._in_list = self._in_crumbs = False


def _crumb_problems(page: Page) -> list[str]:
    """What is wrong with a page's breadcrumbs: missing, or not ending on the page itself."""
    if not page.crumbs:
        return ["no breadcrumbs (a nav named Breadcrumb holding an ol)"]
    *above, last = page.crumbs
    problems = []
    if last["current"] != "page" or last["href"]:
        problems.append("the last crumb is not the page itself (aria-current=page, no link)")
    problems += [f"crumb {n + 1} is no link" for n, crumb in enumerate(above) if not crumb["href"]]
    return problems


def test_every_back_office_page_has_the_menu_and_breadcrumbs(app, organisers):
    crowded = crowd(app, organisers)
    paths = back_office_paths(app, crowded)
    assert len(paths) > 40, sorted(paths)
    unnamed = sorted(set(paths) - set(PAGES))
    assert not unnamed, f"pages with no place in organisers/navigation.py: {unnamed}"
    client = signed_in(app.test_client(), organisers["admin"])
    problems = []
    for endpoint, path in sorted(paths.items()):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        page = Page(response.get_data(as_text=True))
        if "Organisers" not in page.navs and endpoint not in PUBLIC_LOOK:
            problems.append(f"{path}: no back-office menu (nav named Organisers)")
        problems += [f"{path}: {problem}" for problem in _crumb_problems(page)]
    assert not problems, "\n".join(problems)


def _endpoint(adapter, url: str) -> tuple[str, dict] | None:
    """The back-office endpoint a link leads to (None for anything else)."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost") or not parts.path.startswith("/organiser"):
        return None
    try:
        return adapter.match(parts.path, method="GET")
    except HTTPException:
        return None


def _draft_call(app) -> None:
    """A call not yet published: only its menu offers the preview of its page."""
    with app.app_context():
        call = db.session.scalar(db.select(Petition))
        draft = Petition(
            slug="a-draft",
            title="A draft",
            summary="Not yet published.",
            body_markdown="Soon.",
            organisation=call.organisation,
            language="en",
            state="draft",
        )
        db.session.add(draft)
        db.session.commit()


def test_every_page_is_reached_by_following_links_from_the_first(app, organisers):
    crowded = crowd(app, organisers)
    _draft_call(app)
    wanted = set(back_office_paths(app, crowded)) | FILES
    client = signed_in(app.test_client(), organisers["admin"])
    adapter = app.url_map.bind("localhost")
    # Endpoint reached -> the endpoints of the pages that link to it.
    linked_from: dict[str, set[str]] = {"organisers.home": {"organisers.home"}}
    visits: dict[str, int] = {}
    queue, seen = deque([("/organiser/", "organisers.home")]), {"/organiser/"}
    while queue:
        url, endpoint = queue.popleft()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        for href in Page(response.get_data(as_text=True)).links:
            target = urljoin(url, href).split("#")[0]
            found = _endpoint(adapter, target)
            if found is None:
                continue
            linked_from.setdefault(found[0], set()).add(endpoint)
            if target in seen or found[0] in FILES:
                continue
            seen.add(target)
            if visits.get(found[0], 0) < VISITS_PER_ENDPOINT:
                visits[found[0]] = visits.get(found[0], 0) + 1
                queue.append((target, found[0]))
    unreached = sorted(wanted - set(linked_from) - set(UNLINKED))
    assert not unreached, f"no link leads to {unreached}"
    assert not set(UNLINKED) & set(linked_from), "a page said to be unlinked is linked now"
    assert not wanted - set(PAGES) - FILES - set(UNLINKED)
    astray = {
        endpoint: sorted(sources)
        for endpoint, sources in linked_from.items()
        if endpoint in PAGES and not sources & _ancestors(endpoint)
    }
    assert not astray, f"pages not linked from any page above them in their breadcrumbs: {astray}"


def _ancestors(endpoint: str) -> set[str]:
    """The pages above ``endpoint`` in the breadcrumbs (the first page is its own)."""
    found = {"organisers.home"}
    parent = PAGES[endpoint][1]
    while parent is not None:
        found.add(parent)
        parent = PAGES[parent][1]
    return found
