"""`lotse report` and `lotse supervisor`: the 115 service promise as figures for supervisors."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from agent_console.cli import CommandError
from agent_console.commands import settings_for
from agent_console.commands.calllog import store_from_args
from agent_console.commands.telephony import bridge_config
from agent_console.config import Settings, cache_dir
from agent_console.identity import effective_settings
from agent_console.safe_output import safe_json
from calllog.kgst import months, to_kgst
from calllog.kpi import GROUP_KEYS, build_report
from calllog.report_formats import to_csv, to_html, to_text
from calllog.report_json import to_json
from calllog.reports import Period, Report, Targets, check_day
from kb.safe_text import terminal_safe
from telephony.bridge import AmiBridge

FORMATS = ("text", "csv", "json", "html", "kgst")


def register(subparsers: Any) -> None:
    """Add `report` and `supervisor`."""
    report = subparsers.add_parser("report", help="Servicebericht für einen Zeitraum")
    report.add_argument("--from", dest="start", required=True, metavar="DATE", help="YYYY-MM-DD")
    report.add_argument("--to", dest="end", required=True, metavar="DATE", help="YYYY-MM-DD")
    report.add_argument(
        "--format", choices=FORMATS, default="text",
        help="kgst: one CSV row per month with the comparison ring's indicators",
    )  # fmt: skip
    report.add_argument("--out", metavar="FILE", help="write to a file instead of stdout")
    report.add_argument("--agent", help="only this agent's calls (supervisors)")
    report.add_argument(
        "--group-by", action="append", choices=sorted(GROUP_KEYS), default=[],
        help="also per municipality or per caller language (repeatable)",
    )  # fmt: skip
    report.add_argument("--db", metavar="URL", help="sqlite:///path or postgresql://user@host/db")
    report.set_defaults(handler=_report)

    live = subparsers.add_parser("supervisor", help="Kennzahlen live und Anrufprotokoll")
    live.add_argument("--db", metavar="URL", help="sqlite:///path or postgresql://user@host/db")
    live.add_argument(
        "--no-pbx", action="store_true", help="no live panel (do not connect to the PBX)"
    )
    live.set_defaults(handler=_supervisor)


def targets_for(settings: Settings) -> Targets:
    """The service promise's threshold and targets from the settings."""
    cfg = settings.supervisor
    return Targets(
        service_level_seconds=cfg.service_level_seconds,
        service_level=cfg.service_level_target,
        fcr=cfg.fcr_target,
    )


def role_of(settings: Settings) -> str:
    """The configured role of the agent at this workstation (`agent` when not configured)."""
    identity = settings.agents.get(settings.agent_id)
    return identity.role if identity else "agent"


def _day(text: str, option: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: not a date (YYYY-MM-DD): {text!r}") from None
    try:
        return check_day(day)
    except ValueError as exc:
        raise CommandError(f"{option}: {exc}") from None


def _period(args: argparse.Namespace) -> Period:
    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    if end < start:
        raise CommandError(f"--to {end} is before --from {start}")
    return Period(start, end)


def render(report_format: str, report: Any) -> str:
    """The report in one of FORMATS (HTML escaped; outside text is made terminal-safe when it
    is printed or written)."""
    if report_format == "json":
        return safe_json(to_json(report), indent=2) + "\n"
    if report_format == "csv":
        return to_csv(report)
    if report_format == "html":
        return to_html(report)
    return to_text(report)


def _report(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    period = _period(args)
    with store_from_args(args, settings) as store:
        settings = effective_settings(settings, store)  # PostgreSQL: the login's role
        if role_of(settings) == "editor":
            raise CommandError(
                "the figures are for agents and supervisors (editors: lotse kb feedback)"
            )
        agent = args.agent
        if role_of(settings) != "supervisor":
            if agent not in (None, settings.agent_id):
                raise CommandError("only supervisors may report on other agents")
            agent = settings.agent_id
        cfg, now, targets = settings.supervisor, datetime.now(UTC), targets_for(settings)

        def figures(days: Period, breakdowns: bool = True) -> Report:
            return build_report(store, days, now=now, targets=targets, agent_id=agent,
                                breakdowns=breakdowns, grid=cfg.grid(),
                                hours_per_post=cfg.hours_per_post,
                                group_by=args.group_by if breakdowns else ())  # fmt: skip

        if args.format == "kgst":  # one row per month of the period
            text = to_kgst([(m, figures(m, False)) for m in months(period)], cfg.grid())
        else:
            text = render(args.format, figures(period))
    if args.out:
        try:
            Path(args.out).write_text(terminal_safe(text, multiline=True), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{args.out}: cannot write: {exc.strerror}") from exc
    else:
        print(text, end="")
    return 0


def _supervisor(args: argparse.Namespace) -> int:
    from agent_console.commands.console import logs_to_file
    from agent_console.screens.supervisor import SupervisorApp, SupervisorOptions

    settings = settings_for(args)
    with store_from_args(args, settings) as store, logs_to_file(cache_dir() / "supervisor.log"):
        settings = effective_settings(settings, store)  # PostgreSQL: the login's role
        options = SupervisorOptions.from_settings(settings)
        telephony = None
        if options.supervisor and not args.no_pbx:  # the "jetzt" panel: read-only, every queue
            telephony = AmiBridge(replace(bridge_config(settings), read_only=True, queue=""))
        SupervisorApp(store, options, telephony).run()
    return 0
