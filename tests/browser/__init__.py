"""Browser tests: the real site in Chromium (a package so its fixtures end with its last test)."""
