"""The ``automatrix`` command-line launcher: the whole platform on one machine, no setup."""
