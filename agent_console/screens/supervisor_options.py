"""What the supervisor views need from the settings, and the periods they show (no Textual)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from agent_console.config import Settings
from calllog.comparison import DEFAULT_HOURS_PER_POST, SurveyGrid
from calllog.reports import Period, Targets

#: Period key -> (German label, days back from today, today included).
PERIODS: dict[str, tuple[str, int]] = {"today": ("Heute", 1), "week": ("7 Tage", 7),
                                       "month": ("30 Tage", 30)}  # fmt: skip


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class SupervisorOptions:
    """What the supervisor views need from the settings."""

    agent_id: str = "agent1"
    role: str = "agent"
    targets: Targets = field(default_factory=Targets)
    refresh_seconds: float = 5.0
    show_numbers: bool = False
    """Whether callers' full numbers are shown (the role is in `number_roles`)."""
    timezone: str = "Europe/Berlin"
    clock: Callable[[], datetime] = utc_now
    agent_ids: Mapping[str, str] = field(default_factory=dict)
    """Queue member interface -> agent id (the "jetzt" panel names agents by id)."""
    queues: tuple[str, ...] = ()
    """Queues the "jetzt" panel always lists (others appear once a caller waits there)."""
    grid: SurveyGrid = field(default_factory=SurveyGrid)
    """The satisfaction grid's weekdays and windows."""
    hours_per_post: float = DEFAULT_HOURS_PER_POST
    """Net hours of a full-time post a year (cases per post)."""

    @property
    def supervisor(self) -> bool:
        """Supervisors see every agent's figures and the call-log browser."""
        return self.role == "supervisor"

    @classmethod
    def from_settings(cls, settings: Settings) -> SupervisorOptions:
        """Options for the agent at this workstation."""
        identity = settings.agents.get(settings.agent_id)
        role = identity.role if identity else "agent"
        cfg = settings.supervisor
        agent_ids = {i: a for a, identity in settings.agents.items() for i in identity.interfaces}
        return cls(
            agent_id=settings.agent_id, role=role, refresh_seconds=cfg.refresh_seconds,
            targets=Targets(cfg.service_level_seconds, cfg.service_level_target, cfg.fcr_target),
            show_numbers=role in cfg.number_roles, timezone=settings.calllog.timezone,
            agent_ids=agent_ids, queues=tuple(settings.recorder.queues or [settings.pbx.queue]),
            grid=cfg.grid(), hours_per_post=cfg.hours_per_post,
        )  # fmt: skip


def period_for(key: str, now: datetime, zone: ZoneInfo) -> Period:
    """The local days a period key covers, ending today."""
    today = now.astimezone(zone).date()
    return Period(today - timedelta(days=PERIODS[key][1] - 1), today)
