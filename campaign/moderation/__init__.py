"""Moderation: searching signatures, invalidating them (one, or many by a previewed rule)
and undoing it, the review queue of suspect signatures, and the blocklists.

``services`` (search, invalidation, the review queue), ``blocklists`` (the entries
moderators keep; signing matches against them in ``petitions.abuse``),
``backoffice`` (the moderators' pages), ``forms``.
"""
