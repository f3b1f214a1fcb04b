"""The organisers' pages that record a government's answer to a delivery."""

from __future__ import annotations
