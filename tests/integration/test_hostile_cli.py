"""Outside text never drives the terminal through `lotse`: each command's real output is checked.

A KB file, the call log and a DLDB export carry escape sequences, a bidi override, NUL, an
8-bit CSI and HTML (tests/hostile.py); the commands run as `lotse` does (cli.main, which
wraps stdout and stderr) and their output is inspected.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_console.cli import main
from agent_console.commands import kb as kb_commands
from agent_console.commands import search as search_commands
from calllog.callbacks import new_ticket
from calllog.models import CallRecord, Outcome, SearchQuery, Topic
from calllog.service_hours import ServiceCalendar
from calllog.store import open_store
from kb.loader import load
from tests.conftest import ROOT
from tests.hostile import (
    CLEAR,
    CLIPBOARD,
    HOSTILE,
    HOSTILE_SHOWN,
    HOSTILE_YAML,
    RLO,
    assert_plain_safe,
)

FIXTURE_KB = ROOT / "tests" / "ui" / "kb"
SCRIPT = "<script>alert(1)</script>"
Capture = pytest.CaptureFixture[str]


@pytest.fixture
def kb_root(tmp_path: Path) -> Path:
    """A copy of the UI fixture KB."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, root)
    return root


@pytest.fixture
def hostile_kb(kb_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands get a KB with a hostile title and office name.

    The loader refuses such text in a file (kb/yaml_strict.py), so it is put into the loaded
    models: the output is safe whatever reaches it.
    """
    kb = load(kb_root)
    article = kb.articles["geburtsurkunde"]
    article = article.model_copy(update={"title": f"{HOSTILE} Geburtsurkunde"})
    office = kb.offices["standesamt"].model_copy(update={"name": HOSTILE})
    hostile = replace(kb, articles={**kb.articles, article.id: article},
                      offices={**kb.offices, office.id: office})  # fmt: skip
    for module in (kb_commands, search_commands):
        monkeypatch.setattr(module, "load_kb", lambda root, *a, **k: hostile)


@pytest.fixture
def config(tmp_path: Path, kb_root: Path) -> str:
    path = tmp_path / "lotse.toml"
    path.write_text(
        f'agent_id = "a1"\n[kb]\nroot = "{kb_root}"\n[search]\nindex_dir = "{tmp_path / "ix"}"\n'
        '[agents.a1]\nrole = "supervisor"\n',
        encoding="utf-8",
    )
    return str(path)


@pytest.mark.usefixtures("hostile_kb")
def test_kb_show(config: str, capsys: Capture) -> None:
    at = "2026-11-24T10:00+01:00"
    assert main(["--config", config, "kb", "show", "geburtsurkunde", "--at", at]) == 0
    out = capsys.readouterr().out
    assert_plain_safe(out)
    assert out.startswith(f"{HOSTILE_SHOWN} Geburtsurkunde\n")
    assert f"Zuständig: {HOSTILE_SHOWN} · Durchwahl 2003" in out


@pytest.mark.usefixtures("hostile_kb")
def test_search_text_and_json(config: str, capsys: Capture) -> None:
    assert main(["--config", config, "search", "geburtsurkunde"]) == 0
    out = capsys.readouterr().out
    assert_plain_safe(out)
    assert f"{HOSTILE_SHOWN} Geburtsurkunde  [geburtsurkunde]" in out
    assert main(["--config", config, "search", "geburtsurkunde", "--json"]) == 0
    raw = capsys.readouterr().out
    assert_plain_safe(raw)
    assert json.loads(raw)[0]["title"] == f"{HOSTILE} Geburtsurkunde"  # escaped, not altered


def test_a_kb_file_with_escapes_is_refused_safely(
    config: str, kb_root: Path, capsys: Capture
) -> None:
    article = kb_root / "articles" / "geburtsurkunde.yaml"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title: Geburtsurkunde beantragen", f"title: {HOSTILE_YAML}"),
                       encoding="utf-8")  # fmt: skip
    assert main(["--config", config, "kb", "show", "geburtsurkunde"]) == 1
    err = capsys.readouterr().err
    assert_plain_safe(err)
    assert err.count("\n") == 1 and "U+001B" in err


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A call log whose agent ids, numbers, topics, searches, targets and tickets are hostile."""
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    store = open_store(url)
    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    for n, agent in enumerate((HOSTILE, SCRIPT)):
        at = start + timedelta(minutes=n)
        store.upsert_call(
            CallRecord(f"c{n}{HOSTILE}", f"q{HOSTILE}", at, agent_id=agent,
                       caller_number=f"0234567{HOSTILE}", answered_at=at,
                       ended_at=at + timedelta(minutes=2), wrapup_end_at=at + timedelta(minutes=3),
                       outcome=Outcome.TRANSFERRED, outcome_target=f"{HOSTILE}{SCRIPT}",
                       topics=(Topic(f"{HOSTILE}{SCRIPT}"),),
                       searches=(SearchQuery(f"{HOSTILE}{SCRIPT}", 0, at),))
        )  # fmt: skip
    ticket = new_ticket(created_at=start, created_by="a1", clarify=HOSTILE,
                        calendar=ServiceCalendar(), caller_name=HOSTILE, number=f"0234{HOSTILE}",
                        topic=HOSTILE, office=HOSTILE)  # fmt: skip
    store.upsert_callback(ticket)
    store.close()
    return url


def report(config: str, db: str, *args: str) -> int:
    return main(["--config", config, "report", "--from", "2026-11-24", "--to", "2026-11-24",
                 "--db", db, *args])  # fmt: skip


def test_report_text_csv_json(config: str, db: str, capsys: Capture) -> None:
    assert report(config, db) == 0
    text = capsys.readouterr().out
    assert_plain_safe(text)
    assert HOSTILE_SHOWN in text  # agent, queue, topic, target and search, shown visibly
    assert report(config, db, "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(raw := capsys.readouterr().out)))
    assert_plain_safe(raw)
    names = sorted(r[1] for r in rows[1:])
    assert names == sorted(["", f"q{HOSTILE_SHOWN}", HOSTILE_SHOWN, SCRIPT])
    assert report(config, db, "--format", "json") == 0
    raw = capsys.readouterr().out
    assert_plain_safe(raw)
    agents = {group["agent"] for group in json.loads(raw)["per_agent"]}
    assert agents == {HOSTILE, SCRIPT}  # lossless JSON escapes


def test_report_html_is_escaped_and_safe(
    config: str, db: str, tmp_path: Path, capsys: Capture
) -> None:
    assert report(config, db, "--format", "html") == 0
    page = capsys.readouterr().out
    out = tmp_path / "report.html"
    assert report(config, db, "--format", "html", "--out", str(out)) == 0
    assert out.read_text(encoding="utf-8") == page
    for html in (page, out.read_text(encoding="utf-8")):
        assert_plain_safe(html)
        assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "A␛[2J␛]52;c;SGFjaw==␇" in html


def test_calllog_and_callbacks_lists(config: str, db: str, capsys: Capture) -> None:
    assert main(["--config", config, "calllog", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert_plain_safe(out)
    assert len(out.splitlines()) == 3  # header and two calls: a value cannot add a line
    assert f"c0{HOSTILE_SHOWN}" in out
    assert main(["--config", config, "callbacks", "list", "--numbers", "--db", db]) == 0
    out = capsys.readouterr().out
    assert_plain_safe(out)
    assert len(out.splitlines()) == 2 and f"0234{HOSTILE_SHOWN}" in out


def test_error_messages_quoting_input(tmp_path: Path, capsys: Capture) -> None:
    name = HOSTILE.replace("\x00", "")  # a command line cannot hold NUL
    assert main(["--config", str(tmp_path / name), "kb", "lint"]) == 2
    err = capsys.readouterr().err
    assert_plain_safe(err)
    shown = HOSTILE_SHOWN.replace("␀", "")
    assert err == f"lotse: {tmp_path}/{shown}: cannot read settings: No such file or directory\n"


def test_dldb_import_writes_clean_text(tmp_path: Path, capsys: Capture) -> None:
    fixtures = ROOT / "tests" / "fixtures" / "dldb"
    services = json.loads((fixtures / "services.json").read_text(encoding="utf-8"))
    locations = json.loads((fixtures / "locations.json").read_text(encoding="utf-8"))
    first = services["data"][0]
    first["name"] = f"Testausweis {HOSTILE} beantragen"
    first["description"] += f"<p>Hinweis {CLIPBOARD} {RLO}gnp.exe {CLEAR}</p>"
    (tmp_path / "s.json").write_text(json.dumps(services), encoding="utf-8")
    (tmp_path / "l.json").write_text(json.dumps(locations), encoding="utf-8")
    out = tmp_path / "kb"
    main(["kb", "import-dldb", str(tmp_path / "s.json"), str(tmp_path / "l.json"),
          "--out", str(out)])  # fmt: skip
    assert_plain_safe(capsys.readouterr().out)
    for path in out.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "\\e" not in text and "\\x1b" not in text.lower() and "\\u202e" not in text.lower()
        assert_plain_safe(text)
    kb = load(out)
    (article,) = [a for a in kb.articles.values() if a.title.startswith("Testausweis")]
    assert article.title == "Testausweis ABC[@click=app.quit]x[/] [bold red]Z beantragen"
    assert "Hinweis  gnp.exe" in article.description
