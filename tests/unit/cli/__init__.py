"""Tests of the `lotse` command line."""
