"""German full-text and typo-tolerant search over the knowledge base."""
