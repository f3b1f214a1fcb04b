"""Exports: the public signatory list, press downloads and delivery packages for governments.

The blueprint is defined here, not in a views module, because the public
pages (``views``) and the organisers' pages (``backoffice``) share one set
of endpoint names, ``exports.*``, that templates and tests use. Each of
those modules adds its routes to ``bp``; the application factory imports
both before it registers the blueprint.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exports", __name__)
