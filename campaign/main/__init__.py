"""Site-wide pages: home, privacy notice, health checks."""
