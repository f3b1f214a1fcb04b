"""What administrators change on an account: its role, and whether it may sign in.

Safeguards: nobody disables their own account, and the last active administrator
keeps the role, so the team can never lock itself out of its accounts. Disabling
ends the account's sessions at once, on every host. Plain functions: they never
read the request and never commit; each change is in the audit log.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Organiser, OrganiserRole
from ..organisers import audit
from ..organisers import services as accounts
from .invitations import Refused


def active_admins() -> int:
    """Administrators who can sign in (invited ones cannot yet)."""
    return db.session.scalar(
        select(func.count()).where(
            Organiser.role == OrganiserRole.ADMIN,
            Organiser.active,
            Organiser.invited_at.is_(None),
        )
    )


def _is_last_admin(organiser: Organiser) -> bool:
    return (
        organiser.role == OrganiserRole.ADMIN
        and organiser.active
        and not organiser.invited
        and active_admins() <= 1
    )


def change_role(organiser: Organiser, role: str, actor: Organiser) -> bool:
    """Give the account ``role``; False if it had it already."""
    if role not in set(OrganiserRole):
        raise Refused(_l("Choose a role."))
    if role == organiser.role:
        return False
    if role != OrganiserRole.ADMIN and _is_last_admin(organiser):
        raise Refused(
            _l("This is the last active administrator: make another account administrator first.")
        )
    changes = audit.diff({"role": organiser.role}, {"role": role})
    organiser.role = role
    audit.record(actor, "change_role", "organiser", organiser.id, changes)
    return True


def disable(organiser: Organiser, actor: Organiser) -> None:
    """The account can no longer sign in, and its sessions end now."""
    if organiser.id == actor.id:
        raise Refused(_l("You cannot disable your own account."))
    if organiser.invited:
        raise Refused(_l("This account is only invited: cancel its invitation instead."))
    if not organiser.active:
        raise Refused(_l("This account is already disabled."))
    if _is_last_admin(organiser):
        raise Refused(_l("This is the last active administrator: it cannot be disabled."))
    accounts.set_active(organiser, False)
    audit.record(actor, "disable_organiser", "organiser", organiser.id, {"fields": ["active"]})


def enable(organiser: Organiser, actor: Organiser) -> None:
    if organiser.active:
        raise Refused(_l("This account is already active."))
    accounts.set_active(organiser, True)
    audit.record(actor, "enable_organiser", "organiser", organiser.id, {"fields": ["active"]})
