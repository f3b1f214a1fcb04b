"""The app as the benchmark serves it: ``wsgi:app``, saying where it was imported from.

With ``--baseline`` two revisions of the app run side by side from one
virtualenv, which has the checkout installed in editable mode: a server
started from the baseline's worktree could still import the checkout's
``campaign`` if its paths were wrong, and the comparison would then compare
the checkout with itself. So each gunicorn worker writes one line to its log
naming the files ``campaign`` and ``wsgi`` came from, and bench/load.py
checks them before measuring. ``app`` is the very object ``wsgi:app`` is:
nothing is added to a request.
"""

import sys

import campaign
import wsgi

app = wsgi.app

print(
    f"bench: campaign imported from {campaign.__file__}; wsgi from {wsgi.__file__}",
    file=sys.stderr,
    flush=True,
)
