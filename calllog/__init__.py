"""Call log, call-back tickets and the shared store (SQLite or PostgreSQL)."""
