"""Lotse's Textual agent console and the `lotse` command line."""
