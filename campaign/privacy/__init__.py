"""Privacy: retention of personal data, subject access and erasure requests.

``services`` (retention, access reports, erasure), ``backoffice`` (the
administrators' request pages), ``forms``, ``cli``.
"""
