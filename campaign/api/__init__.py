"""The public JSON API: counts and notable signatories, open to any origin."""
