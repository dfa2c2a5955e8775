"""Subcommands of `lotse`, one module per capability; each exposes `register(subparsers)`."""
