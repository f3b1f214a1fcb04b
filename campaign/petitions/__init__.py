"""Petitions: the calls, and a signature's whole life on them.

Public: reading a call, signing (``signing``), confirming and withdrawing from
the email's links (``lifecycle``), with ``counters.transition`` the one gate
for every change of a signature's state and ``abuse`` what holds a new
signature back. Back office: the list of calls, writing a call (``editing``),
its text in other languages (``translations``) and its dashboard
(``dashboard``), in ``backoffice``. ``services`` reads calls for every page.
"""
