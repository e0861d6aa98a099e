"""`python -m steelworks ...` runs the command line (the same as the `steelworks` command)."""

from steelworks.cli import app

app()
