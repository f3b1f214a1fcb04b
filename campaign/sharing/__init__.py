"""Sharing a call: its share image, and the metadata that social sites read."""
