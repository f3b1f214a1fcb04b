"""What tests share that is not a fixture, by what it is about: the app's test settings
(``app``), real servers (``servers``), the signing journey (``journey``), the back office
(``backoffice``) and the browser (``browser``). Fixtures are in ``tests/conftest.py``."""
