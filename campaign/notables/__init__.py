"""Notable signatories: the call's first signatories (laureates, former heads of state),
curated by its editors, with their portraits; promoted from a public signature when
the person signed themselves, so they count once.

``services`` (curation, promotion, what the public sees), ``portraits`` (checking and
re-encoding uploads), ``views`` (portraits served to the public), ``backoffice``
(the editors' pages), ``forms``.
"""

# Portraits and logos: the largest upload accepted, and the box they are fitted into.
DEFAULTS = {
    "PORTRAIT_MAX_BYTES": 2 * 1024 * 1024,
    "PORTRAIT_MAX_SIZE": 400,
}
