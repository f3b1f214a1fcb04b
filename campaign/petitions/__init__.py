"""Petitions: the public page, signing, confirmation and withdrawal."""
