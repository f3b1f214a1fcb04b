"""The organisers' pages for a call's governments: targets and recorded deliveries."""

from __future__ import annotations
