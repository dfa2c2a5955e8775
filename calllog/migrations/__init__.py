"""Versioned schema migrations, one folder per SQL dialect (`NNNN_name.sql`)."""
