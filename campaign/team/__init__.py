"""The team runs its own accounts from the web: administrators invite organisers by email,
change their roles, disable and enable them; anyone resets a forgotten password by an
emailed link. The command line (organisers/cli.py) still does the same on the server.

Built on ``organisers`` (accounts, sessions, the audit log) and ``mail`` (the outbox),
with its pages on the back office's one blueprint.
"""

from __future__ import annotations

DEFAULTS = {
    # How long an invitation's link works; resending makes a new one, the old one dies.
    "INVITATION_DAYS": 7,
    # How long a link to reset a forgotten password works.
    "PASSWORD_RESET_MINUTES": 60,
    # Hard limits on asking for a reset link: per client address, and per address typed
    # (so nobody fills a colleague's mailbox from many addresses).
    "PASSWORD_RESET_RATE_LIMIT": "5 per minute; 20 per hour",
    "PASSWORD_RESET_EMAIL_RATE_LIMIT": "3 per hour; 10 per day",
}
