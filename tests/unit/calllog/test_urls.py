"""A store URL's password never appears in a message, however the URL is mistyped."""

from __future__ import annotations

import pytest

from calllog.store.urls import redact_url, scrub, secrets_in


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("postgresql://u:Geheim123@db/lotse", "postgresql://u:***@db/lotse"),
        ("postgresq://u:Geheim123@db/lotse", "postgresq://u:***@db/lotse"),
        ("postgresql://u:Ge@heim@db/lotse", "postgresql://u:***@db/lotse"),
        ("postgresql://u:Geheim 123@db/lotse", "postgresql://u:***@db/lotse"),
        ("postgresql://u:Geheim123@[::1/lotse", "postgresql://u:***@[::1/lotse"),
        ("postgresql://u@db/lotse?password=Geheim123&sslmode=x",
         "postgresql://u@db/lotse?password=***&sslmode=x"),
        ("host=db password=Geheim123 user=u", "host=db password=*** user=u"),
        ("postgresql://db:5432/lotse", "postgresql://db:5432/lotse"),
        ("sqlite:////var/lib/lotse/calls.db", "sqlite:////var/lib/lotse/calls.db"),
    ],
)  # fmt: skip
def test_redact_url(url: str, redacted: str) -> None:
    assert redact_url(url) == redacted


def test_scrub_masks_pieces_libpq_quotes() -> None:
    url = "postgresql://u:Geh%zzeim@db/lotse"
    assert secrets_in(url) == ["Geh%zzeim"]
    message = 'invalid percent-encoded token: "Geh%zzeim" in postgresql://u:Geh%zzeim@db/lotse'
    assert (
        scrub(message, url) == 'invalid percent-encoded token: "***" in postgresql://u:***@db/lotse'
    )
    encoded = "postgresql://u:G%40heim@db/lotse"
    assert scrub("password G@heim refused", encoded) == "password *** refused"
