"""A report as text, CSV or one self-contained HTML page with SVG charts (pure, German labels)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC
from html import escape

from calllog.comparison import StaffedTime
from calllog.comparison_formats import (
    CSV_KEYS,
    STAFFED_HEADER,
    comparison_lines,
    csv_cells,
    grid_table,
    pause_lines,
    staffed_row,
)
from calllog.reports import (
    Counts,
    Report,
    abandonment_rate,
    aht_s,
    avg_talk_s,
    avg_wait_s,
    avg_wrapup_s,
    fcr_rate,
    heat_grid,
    hours_span,
    p90_wait_s,
    service_level,
    target_state,
    transfer_rate,
)

WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
_COLOURS = {"ok": "#2e7d32", "warn": "#ef6c00", "bad": "#c62828", "none": "#757575"}


def pct(value: float | None) -> str:
    """A share as a German percentage, `–` when undefined."""
    return "–" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def secs(value: float | None) -> str:
    """Seconds with one decimal, `–` when undefined."""
    return "–" if value is None else f"{value:.1f} s".replace(".", ",")


def headline(report: Report) -> list[tuple[str, str, str]]:
    """(label, value, target state) of the headline figures, in display order."""
    t, tg = report.totals, report.targets
    sl, fcr = service_level(t), fcr_rate(t)
    cb = report.callbacks
    return [
        ("Angeboten", str(t.offered), "none"),
        ("Angenommen", str(t.answered), "none"),
        ("davon ohne Ergebnis", str(t.no_outcome), "warn" if t.no_outcome else "none"),
        ("Aufgelegt", f"{t.abandoned} ({t.abandoned_short} < 5 s)", "none"),
        ("Abbruchquote", pct(abandonment_rate(t)), "none"),
        (f"Servicelevel {tg.service_level_seconds} s", pct(sl),
         target_state(sl, tg.service_level, tg.warn_margin)),
        ("Erstlösungsquote", pct(fcr), target_state(fcr, tg.fcr, tg.warn_margin)),
        ("Weiterleitungsquote", pct(transfer_rate(t)), "none"),
        ("Verweise an andere Behörden", str(t.referrals), "none"),
        ("Rückrufe zugesagt", str(cb.promised), "none"),
        ("Rückrufe rechtzeitig", str(cb.in_time), "none"),
        ("Rückrufe überfällig", str(cb.overdue), "bad" if cb.overdue else "ok"),
        ("Wartezeit Ø", secs(avg_wait_s(t)), "none"),
        ("Wartezeit 90 %", secs(p90_wait_s(t)), "none"),
        ("Gesprächszeit Ø", secs(avg_talk_s(t)), "none"),
        ("Nachbearbeitung Ø", secs(avg_wrapup_s(t)), "none"),
        ("Bearbeitungszeit Ø (AHT)", secs(aht_s(t)), "none"),
    ]  # fmt: skip


def _group_row(name: str, c: Counts) -> list[str]:
    return [name, str(c.offered), str(c.answered), str(c.abandoned), pct(service_level(c)),
            pct(fcr_rate(c)), secs(avg_wait_s(c)), secs(aht_s(c))]  # fmt: skip


GROUP_HEADER = ["", "Angeboten", "Angenommen", "Aufgelegt", "SL", "FCR", "Warten Ø", "AHT"]


def _groups(report: Report) -> list[tuple[str, tuple[tuple[str | None, Counts], ...]]]:
    """The breakdowns with their German titles (those not asked for are empty)."""
    return [
        ("Warteschlangen", tuple(report.per_queue)),
        ("Agenten", report.per_agent),
        ("Gemeinden", report.per_municipality),
        ("Sprachen", report.per_language),
    ]


def _title(report: Report) -> str:
    who = f", Agent {report.agent_id}" if report.agent_id else ""
    return f"Servicebericht {report.period.start:%d.%m.%Y} – {report.period.end:%d.%m.%Y}{who}"


def _columns(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def to_text(report: Report) -> str:
    """A plain-text report for the terminal."""
    lines = [_title(report), ""]
    for label, value, state in headline(report):
        mark = {"ok": "  ✓", "warn": "  !", "bad": "  ✗"}.get(state, "")
        lines.append(f"{label + ':':<30}{value}{mark}")
    lines += ["", "Vergleichsring (KGSt):"]
    ring = comparison_lines(report)
    width = max(30, *(len(label) + 2 for label, _ in ring))
    lines += [f"{label + ':':<{width}}{value}" for label, value in ring]
    for title, groups in _groups(report):
        if groups:
            rows = [[title, *GROUP_HEADER[1:]]]
            rows += [_group_row(str(k or "–"), c) for k, c in groups]
            lines += ["", *_columns(rows)]
    lines += _comparison_tables(report)
    ranked = (
        ("Weiterleitungsziele", report.transfer_targets),
        ("Verweise", report.referrals),
        ("Themen", tuple((t.article_id, t.calls) for t in report.topics[:10])),
        ("Suchen ohne Treffer", report.unanswered_searches),
    )
    for title, items in ranked:
        if items:
            lines += ["", f"{title}:", *(f"  {n:>6}  {k}" for k, n in items)]
    return "\n".join(lines) + "\n"


def _comparison_tables(report: Report) -> list[str]:
    """Text: the satisfaction grid, staffed time per agent, pauses by reason."""
    c, lines = report.comparison, []
    if c.satisfaction is not None:
        lines += ["", "Zufriedenheit Ø (Antworten) nach Wochentag und Zeitfenster:",
                  *_columns(grid_table(c))]  # fmt: skip
    if c.per_agent:
        rows = [STAFFED_HEADER, *(staffed_row(a, s) for a, s in c.per_agent)]
        lines += ["", *_columns(rows)]
    if c.staffed.pauses:
        lines += ["", "Pausen:", *(f"  {p}" for p in pause_lines(c.staffed))]
    return lines


def to_csv(report: Report) -> str:
    """One row per group (total, queues, agents, municipalities and languages when asked
    for) with every headline figure; German-neutral."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    keys = [
        "offered", "answered", "abandoned", "abandoned_short", "service_level", "fcr_rate",
        "transfer_rate", "avg_wait_s", "p90_wait_s", "avg_talk_s", "avg_wrapup_s", "aht_s",
        "answered_no_outcome",
    ]  # fmt: skip
    funcs: list[Callable[[Counts], float | None]] = [
        service_level, fcr_rate, transfer_rate, avg_wait_s, p90_wait_s, avg_talk_s,
        avg_wrapup_s, aht_s,
    ]  # fmt: skip
    writer.writerow(["group", "name", *keys, *CSV_KEYS])
    comparison = report.comparison
    staffed = dict(comparison.per_agent)
    groups: list[tuple[str, str, Counts, StaffedTime | None]] = [
        ("total", "", report.totals, comparison.staffed)
    ]
    groups += [("queue", q, c, None) for q, c in report.per_queue]
    groups += [("agent", a or "", c, staffed.get(a, StaffedTime()) if a else None)
               for a, c in report.per_agent]  # fmt: skip
    groups += [("municipality", m or "", c, None) for m, c in report.per_municipality]
    groups += [("language", lang or "", c, None) for lang, c in report.per_language]
    for kind, name, c, hours in groups:
        ratios = ["" if (v := f(c)) is None else f"{v:.4f}" for f in funcs]
        writer.writerow([kind, name, c.offered, c.answered, c.abandoned, c.abandoned_short,
                         *ratios, c.no_outcome,
                         *csv_cells(c, hours, comparison, kind == "total")])  # fmt: skip
    return out.getvalue()


def trend_svg(report: Report, width: int = 720, height: int = 180) -> str:
    """Calls per day as bars, answered within the threshold darker."""
    days = report.trend
    if not days:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
    top = max(d.offered for d in days) or 1
    step = width / len(days)
    bars = []
    for i, d in enumerate(days):
        h = (height - 20) * d.offered / top
        w = (height - 20) * d.within_threshold / top
        x = i * step
        bars.append(
            f'<rect x="{x:.1f}" y="{height - 20 - h:.1f}" width="{step * 0.8:.1f}" '
            f'height="{h:.1f}" fill="#90caf9"><title>{d.day:%d.%m.} {d.offered} Anrufe'
            f"</title></rect>"
            f'<rect x="{x:.1f}" y="{height - 20 - w:.1f}" width="{step * 0.8:.1f}" '
            f'height="{w:.1f}" fill="#1565c0"/>'
        )
    labels = f'<text x="0" y="{height - 4}" font-size="11">{days[0].day:%d.%m.}</text>'
    labels += (
        f'<text x="{width}" y="{height - 4}" font-size="11" text-anchor="end">'
        f"{days[-1].day:%d.%m.}</text>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="Anrufe pro Tag">{"".join(bars)}{labels}</svg>'
    )


def heatmap_svg(report: Report, cell: int = 26) -> str:
    """Calls by weekday (rows) and hour (columns), darker = more."""
    grid = heat_grid(report.heatmap)
    hours = hours_span(report.heatmap)
    top = max(grid.values(), default=0) or 1
    parts = []
    for col, hour in enumerate(hours):
        parts.append(f'<text x="{40 + col * cell + 4}" y="12" font-size="10">{hour}</text>')
    for row, name in enumerate(WEEKDAYS):
        y = 18 + row * cell
        parts.append(f'<text x="4" y="{y + 17}" font-size="11">{name}</text>')
        for col, hour in enumerate(hours):
            n = grid.get((row + 1, hour), 0)
            shade = 0.08 + 0.92 * n / top if n else 0.03
            parts.append(
                f'<rect x="{40 + col * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="#1565c0" fill-opacity="{shade:.2f}"><title>{name} {hour}:00 – {n} '
                f"Anrufe</title></rect>"
            )
    width, height = 40 + len(hours) * cell, 20 + 7 * cell
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="Anrufe nach Wochentag und Stunde">{"".join(parts)}</svg>'
    )


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#212121}"
    ".tiles{display:flex;flex-wrap:wrap;gap:.6em}.tile{border:1px solid #ddd;border-left:6px "
    "solid var(--c);padding:.5em .8em;min-width:11em}.tile b{display:block;font-size:1.4em}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border-bottom:1px solid #eee;"
    "padding:.2em .6em;text-align:right}td:first-child,th:first-child{text-align:left}"
)


def to_html(report: Report) -> str:
    """One self-contained page (inline CSS and SVG, no scripts) for management."""
    tiles = "".join(
        f'<div class="tile" style="--c:{_COLOURS[state]}">{escape(label)}<b>{escape(value)}</b>'
        "</div>"
        for label, value, state in headline(report)
    )
    tiles += "".join(
        f'<div class="tile" style="--c:{_COLOURS["none"]}">{escape(label)}<b>{escape(value)}'
        "</b></div>"
        for label, value in comparison_lines(report)
    )
    sections = [
        f"<h1>{escape(_title(report))}</h1>",
        f'<div class="tiles">{tiles}</div>',
        "<h2>Anrufe pro Tag</h2>", trend_svg(report),
        "<h2>Anrufe nach Wochentag und Stunde</h2>", heatmap_svg(report),
    ]  # fmt: skip
    for title, groups in _groups(report):
        if groups:
            rows = [_group_row(str(k or "–"), c) for k, c in groups]
            sections += [f"<h2>{title}</h2>", _html_table(GROUP_HEADER, rows)]
    c = report.comparison
    if c.satisfaction is not None:
        table = grid_table(c)
        sections += ["<h2>Zufriedenheit Ø (Antworten) nach Wochentag und Zeitfenster</h2>",
                     _html_table(table[0], table[1:])]  # fmt: skip
    if c.per_agent:
        rows = [staffed_row(a, s) for a, s in c.per_agent]
        sections += ["<h2>Besetzung</h2>", _html_table(STAFFED_HEADER, rows)]
    topic_rows = [
        [t.article_id, str(t.calls), ", ".join(f"{o} {n}" for o, n in sorted(t.outcomes.items()))]
        for t in report.topics[:10]
    ]
    sections += [
        "<h2>Häufigste Themen</h2>",
        _html_table(["Thema", "Anrufe", "Ergebnis"], topic_rows),
    ]
    for title, items in (("Weiterleitungsziele", report.transfer_targets),
                         ("Suchen ohne Treffer", report.unanswered_searches)):  # fmt: skip
        sections += [
            f"<h2>{title}</h2>",
            _html_table(["", "Anzahl"], [[k, str(n)] for k, n in items]),
        ]
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>{escape(_title(report))}</title><style>{_CSS}</style></head><body>"
        + "\n".join(sections)
        + f"<p><small>Erstellt {report.generated_at.astimezone(UTC):%d.%m.%Y %H:%M} UTC</small>"
        + "</p></body></html>\n"
    )
