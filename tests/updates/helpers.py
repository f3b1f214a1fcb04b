"""Sending an update as an editor does it: the send page, its count, the number typed."""

from __future__ import annotations

import re
from html import unescape

from ..helpers.backoffice import csrf_token

REACH_TOTAL = re.compile(r'id="reach-total"><strong>([^<]+)</strong>')


def reach(client, page: str) -> int:
    """The number of people the send page says will receive the update."""
    html = client.get(page + "/send").get_data(as_text=True)
    match = REACH_TOTAL.search(html)
    assert match, "the send page shows no count"
    return int(re.sub(r"[^0-9]", "", unescape(match.group(1))))


def confirm_send(client, page: str, typed: str | None = None, send_at: str = ""):
    """Type the number the send page shows (or ``typed``) and send, now or at ``send_at``."""
    number = typed if typed is not None else str(reach(client, page))
    return client.post(
        page + "/send",
        data={
            "csrf_token": csrf_token(client, page + "/send"),
            "typed": number,
            "send_at": send_at,
        },
    )
