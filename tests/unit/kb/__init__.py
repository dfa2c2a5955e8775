"""Unit tests of the knowledge base package."""
