"""Exports: the public signatory list, press downloads and delivery packages for governments."""
