"""Updates to supporters: news about a call, sent to the confirmed signers who asked for
it, each with a one-click unsubscribe link.

``services`` (writing, test sends, queueing in batches, unsubscribing),
``translations`` (an update's versions in other languages, and which one each
reader gets), ``drafts`` (only a draft changes), ``views`` (the public
unsubscribe page), ``backoffice`` (the editors' pages), ``forms``, ``cli``
(``flask organiser send-updates``).
"""

DEFAULTS = {
    # Updates to supporters are queued in batches of this many messages.
    "UPDATE_BATCH_SIZE": 500,
    # How long an unsubscribe link works.
    "UNSUBSCRIBE_MAX_AGE_DAYS": 3 * 365,
}
