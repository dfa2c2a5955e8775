"""The baselines' in-memory Whoosh indexes: two built at once do not share a spool folder."""

from __future__ import annotations

from whoosh.fields import ID, TEXT, Schema

from search.baselines import ram_index


def test_two_indexes_written_at_once_keep_their_own_spool() -> None:
    """Whoosh's default index name spools every such writer to <tmp>/MAIN.tmp (another
    process's commit deleted it under a running writer: FileNotFoundError)."""
    first = ram_index(Schema(id=ID(stored=True), body=TEXT))
    writer = first.writer()
    for n in range(50):
        writer.add_document(id=str(n), body=f"wort {n}")
    second = ram_index(Schema(id=ID(stored=True), body=TEXT))
    other = second.writer()
    other.add_document(id="x", body="anderes")
    other.commit()  # removes its own spool folder, not the first writer's
    writer.commit()
    assert first.doc_count() == 50 and second.doc_count() == 1
