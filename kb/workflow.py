"""Four eyes on the KB files: `submit` (draft -> review) and `approve` (review -> published).

Both edit the article file surgically (kb.yaml_edit: comments and layout stay) and write it
atomically; `approve` first stores the approved text in `approved/<id>.yaml`, the copy agents
keep seeing while a later edit is in review (kb.lifecycle). Refusals are one German line.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from kb import files, yaml_strict
from kb.checks import placeholder_text, same_person
from kb.exceptions import KbError
from kb.lifecycle import approved_path, same_content
from kb.loader import KnowledgeBase, load
from kb.models import Article
from kb.yaml_edit import EditError, set_fields

#: Where the workflow's fields go: after the last of these present in the file.
WORKFLOW_ORDER = ("status", "submitted_by", "submitted_at", "approved_by", "approved_at")


class WorkflowError(KbError):
    """A workflow step refused; the message is one German line for the editor."""


def submit(root: Path, article_id: str, by: str, now: datetime) -> Article:
    """Put a draft (or an edited published or an archived article) into review."""
    kb, article, path = _article(root, article_id)
    name = _name(by)
    if article.status == "review":
        raise WorkflowError(f"{article_id} ist bereits in Prüfung (eingereicht von "
                            f"{article.submitted_by or '?'})")  # fmt: skip
    approved = kb.approved.get(article_id)
    if article.status == "published" and (approved is None or same_content(article, approved)):
        raise WorkflowError(f"{article_id} ist veröffentlicht und seit der Freigabe unverändert")
    _refuse_placeholders(kb, article)
    updates = {"status": "review", "submitted_by": name, "submitted_at": _stamp(now)}
    return _write(path, updates)


def approve(root: Path, article_id: str, by: str, now: datetime) -> Article:
    """Publish an article in review; the approver must not be the submitter."""
    kb, article, path = _article(root, article_id)
    name = _name(by)
    if article.status != "review":
        raise WorkflowError(f"{article_id} ist nicht in Prüfung (Status {article.status}); "
                            "erst einreichen: lotse kb submit")  # fmt: skip
    if not article.submitted_by:
        raise WorkflowError(f"{article_id}: submitted_by fehlt; erst einreichen: lotse kb submit")
    if same_person(name, article.submitted_by):
        raise WorkflowError(f"Vier-Augen-Prinzip: {name} hat {article_id} selbst eingereicht und "
                            "kann es nicht freigeben")  # fmt: skip
    _refuse_placeholders(kb, article)
    updates = {
        "status": "published",
        "approved_by": name,
        "approved_at": _stamp(now),
        "last_reviewed": now.date().isoformat(),
    }
    return _write(path, updates, approved_path(root, article_id))


def adopt(root: Path, by: str, now: datetime) -> list[str]:
    """Take every published article without an approved copy as approved as it stands.

    For a KB published before the workflow existed (like the sample KB): afterwards an edit to
    any of them goes through review while agents keep seeing this version. The article files are
    not touched; each copy records who adopted it and when. Returns the ids adopted.
    """
    kb = load(root)
    name = _name(by)
    updates = {"approved_by": name, "approved_at": _stamp(now)}
    adopted = []
    for article_id, article in sorted(kb.articles.items()):
        path = kb.paths.get(("article", article_id))
        if article.status != "published" or article_id in kb.approved or path is None:
            continue
        _write(path, updates, approved_path(root, article_id), copy_only=True)
        adopted.append(article_id)
    return adopted


def _article(root: Path, article_id: str) -> tuple[KnowledgeBase, Article, Path]:
    kb = load(root)
    path = kb.paths.get(("article", article_id))
    article = kb.articles.get(article_id)
    broken = [p for p in kb.errors if p.path.parent.name == "articles"
              and p.path.name.rsplit(".", 1)[0] == article_id]  # fmt: skip
    if broken:
        raise WorkflowError(f"{article_id} hat Fehler, erst beheben: {broken[0]}")
    if article is None or path is None:
        raise WorkflowError(f"kein Artikel {article_id!r} in {root / 'articles'}")
    return kb, article, path


def _name(by: str) -> str:
    name = " ".join(by.split())
    if not name or any(not ch.isprintable() for ch in name):
        raise WorkflowError("--by braucht einen Namen")
    return name


def _stamp(now: datetime) -> str:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.isoformat(timespec="seconds")


def _refuse_placeholders(kb: KnowledgeBase, article: Article) -> None:
    only = KnowledgeBase(articles={article.id: article})
    for finding in placeholder_text(only, article.last_reviewed):
        raise WorkflowError(f"{article.id}: {finding.message} in {'.'.join(map(str, finding.loc))}"
                            " ersetzen")  # fmt: skip


def _write(
    path: Path,
    updates: Mapping[str, str | int | None],
    copy_to: Path | None = None,
    *,
    copy_only: bool = False,
) -> Article:
    raw = files.read_bytes(path)
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    try:
        new = set_fields(text, updates, after=WORKFLOW_ORDER)
        article = Article.model_validate(yaml_strict.parse(new))
    except (EditError, yaml_strict.YamlError, ValidationError) as exc:
        raise WorkflowError(f"{path}: nicht geändert: {str(exc).splitlines()[0]}") from exc
    data = ("\ufeff" if bom else "").encode() + new.encode()
    if copy_to is not None:
        _replace(copy_to, data, like=path)
    if not copy_only:
        _replace(path, data, like=path)
    return article


def _replace(target: Path, data: bytes, like: Path) -> None:
    """Write `target` atomically (temp file and rename) with the permissions of `like`."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        with contextlib.suppress(OSError):
            shutil.copymode(like, tmp)
        tmp.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WorkflowError(f"{target}: nicht geschrieben: {files.describe_os_error(exc)}") from exc
