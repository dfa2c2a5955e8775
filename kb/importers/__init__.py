"""Readers that turn foreign service catalogues into Lotse articles and offices."""
