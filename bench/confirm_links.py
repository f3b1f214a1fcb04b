"""Prepare the confirm benchmark: pending signatures, and what each one's browser holds.

Writes ``count`` pending signatures straight into the database (signing is
measured on its own), makes each one's confirmation token as the email
would carry it, then does what the person's browser does on following the
link: GET the confirm page, keep the session cookie it sets and the CSRF
token in its form. One line per signature, "path cookie csrf", goes to the
output file for bench/confirm.lua to replay as the Confirm button's POST.

Run with the app's environment (DATABASE_URL, SECRET_KEY...):
    python bench/confirm_links.py BASE_URL SLUG COUNT OUTFILE
"""

from __future__ import annotations

import http.client
import re
import secrets
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from sqlalchemy import insert, select

from campaign import create_app, tokens
from campaign.extensions import db
from campaign.models import Lifecycle, Petition, Signature, Validity, utcnow

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
COOKIE = re.compile(r"session=([^;]+)")
COUNTRIES = ["CH", "FR", "DE", "US", "BR", "IN", "JP", "KE", "GB", "ES"]


def make_pending(slug: str, count: int) -> list[str]:
    """Insert ``count`` pending signatures; return their confirm tokens."""
    app = create_app()
    with app.app_context():
        petition_id = db.session.scalar(select(Petition.id).where(Petition.slug == slug))
        nonce = secrets.token_hex(4)
        now = utcnow()
        rows = []
        for i in range(count):
            email = f"confirm-{nonce}-{i}@example.org"
            rows.append(
                {
                    "public_id": secrets.token_urlsafe(16),
                    "petition_id": petition_id,
                    "name": f"Confirm Bench {i}",
                    "email": email,
                    "email_canonical": email,
                    "country": COUNTRIES[i % len(COUNTRIES)],
                    "status": Lifecycle.PENDING,
                    "validity": Validity.OK,
                    "text_version": 1,
                    "privacy_version": app.config["PRIVACY_NOTICE_VERSION"],
                    "consent_text": "bench",
                    "emails_sent": 1,
                    "created_at": now,
                }
            )
        db.session.execute(insert(Signature), rows)
        db.session.commit()
        return [tokens.make(tokens.Purpose.CONFIRM, row["public_id"]) for row in rows]


def fetch_all(base_url: str, paths: list[str], parallel: int = 8) -> list[str]:
    """GET each confirm page over keep-alive connections; return "path cookie csrf" lines."""
    parts = urlsplit(base_url)
    local = threading.local()

    def get(path: str) -> str:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        local.conn.request("GET", path)
        response = local.conn.getresponse()
        body = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        cookie = COOKIE.search(response.getheader("Set-Cookie") or "")
        csrf = CSRF.search(body)
        if not cookie or not csrf:
            raise RuntimeError(f"GET {path}: no session cookie or no CSRF token")
        return f"{path} {cookie.group(1)} {csrf.group(1)}"

    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(get, paths))


def main() -> None:
    base_url, slug, count, outfile = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    paths = [f"/petitions/confirm/{token}" for token in make_pending(slug, count)]
    lines = fetch_all(base_url, paths)
    with open(outfile, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
