"""Privacy: retention of personal data, subject access and erasure requests."""
