"""Exceptions of the kb package.

KbError
 └── CatalogueImportError  (a foreign catalogue cannot be read or converted)
      └── DldbError  (a DLDB export: unreadable file or not the DLDB shape)
"""

from __future__ import annotations


class KbError(Exception):
    """Base of every error the kb package raises on purpose."""


class CatalogueImportError(KbError, ValueError):
    """A foreign service catalogue (e.g. a DLDB export) cannot be read or converted."""


class DldbError(CatalogueImportError):
    """A DLDB export (services or locations JSON) cannot be read or lacks the DLDB shape."""
