"""Settings: read once by the CLI from a TOML file plus LOTSE_* environment variables."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings import SettingsError as EnvironmentSettingsError

from calllog.comparison import (
    DEFAULT_HOURS_PER_POST,
    DEFAULT_WEEKDAYS,
    DEFAULT_WINDOWS,
    SurveyGrid,
)
from telephony.origin import Routing

#: Where the sample knowledge base lives (the `kb/` folder of the installation).
BUNDLED_KB = Path(__file__).resolve().parent.parent / "kb"


def data_dir() -> Path:
    """The per-user data directory (call log, outbox)."""
    return Path(platformdirs.user_data_dir("lotse", appauthor=False))


def cache_dir() -> Path:
    """The per-user cache directory (search index)."""
    return Path(platformdirs.user_cache_dir("lotse", appauthor=False))


class KbSettings(BaseModel):
    """Where the knowledge base is read from."""

    root: Path = BUNDLED_KB
    """Folder holding `articles/` and `offices/`."""
    state: str = "NW"
    """Federal state (ISO 3166-2 subdivision code) whose public holidays apply by default."""


class SearchSettings(BaseModel):
    """The search index."""

    index_dir: Path = Field(default_factory=lambda: cache_dir() / "index")
    """Cache directory of the Whoosh index (outside the KB; rebuilt when the KB changes)."""
    synonyms_file: Path | None = None
    """Central word list (synonym groups, generic words); default: `synonyms.yaml` in the KB."""
    result_limit: int = Field(default=10, ge=1, le=200)
    """How many hits a search returns by default."""


class PbxSettings(BaseModel):
    """The Asterisk Manager Interface connection."""

    host: str = "127.0.0.1"
    """AMI host; the built-in simulator listens on 127.0.0.1."""
    port: int = 5038
    """AMI TCP port."""
    username: str = "agentconsole"
    """AMI user (manager.conf section)."""
    secret: SecretStr = SecretStr("s3cret")
    """AMI secret; never logged."""
    queue: str = "service115"
    """The queue the agents answer."""
    transfer_context: str = "departments"
    """Dialplan context of the department extensions that transfers go to."""
    callback_context: str = "citizen-phone"
    """Dialplan context that dials a citizen's number for a call-back."""
    wrapup_reason: str = "Nachbearbeitung"
    """Pause reason that means wrap-up (shown as such, not as a break)."""
    callback_reason: str = "Rückruf"
    """Pause reason while the agent's phone rings for a call-back (no queue call meanwhile)."""
    pause_reasons: list[str] = Field(
        default_factory=lambda: ["Pause", "Mittagspause", "Schulung", "Besprechung", "Technik"],
        min_length=1,
    )
    """Reasons F8 offers (first is the default); shown in the call bar and sent to the PBX."""
    event_mask: str = "call,agent,user,dtmf"
    """AMI event classes the bridge asks for (least privilege: read = call,agent,user,dtmf)."""
    action_timeout: float = 5.0
    """Seconds an AMI action may take before it fails."""
    ping_interval: float = 5.0
    """Seconds without traffic before a keep-alive Ping; a lost PBX is noticed within this
    plus `action_timeout`."""

    @field_validator("username", "secret")
    @classmethod
    def _one_line(cls, value: str | SecretStr) -> str | SecretStr:
        """The login goes into AMI headers: no control characters (the value is not echoed)."""
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text):
            raise ValueError("must not contain control characters")
        return value

    @model_validator(mode="after")
    def _reasons_are_plain(self) -> PbxSettings:
        """Pause reasons are one line of text, and a break is never taken for a wrap-up."""
        reasons = [self.wrapup_reason, self.callback_reason, *self.pause_reasons]
        for reason in reasons:
            if not reason.strip() or any(ord(ch) < 32 or ord(ch) == 127 for ch in reason):
                raise ValueError(f"pause reason {reason!r} must be one line of text")
        if self.wrapup_reason in self.pause_reasons:
            raise ValueError("pause_reasons must not contain the wrapup_reason")
        return self


class ConsoleSettings(BaseModel):
    """The agent console itself."""

    drafts_dir: Path = Field(default_factory=lambda: data_dir() / "drafts")
    """Where unsaved wrap-ups are kept while typed (reopened after a crash or kill)."""


class AgentIdentity(BaseModel):
    """How one agent appears on the PBX."""

    interfaces: list[str] = Field(default_factory=list)
    """Queue member interfaces, e.g. `PJSIP/agent1` or `Local/agent1@agents/n`."""
    queues: list[str] = Field(default_factory=lambda: ["service115"])
    """Queues the agent is a member of."""
    role: str = "agent"
    """`agent` or `supervisor`."""
    name: str = ""
    """Display name."""
    extension: str = Field(default="", pattern=r"^[0-9*#]{0,20}$")
    """Where a transfer reaches this agent in `pbx.transfer_context` ("": colleagues cannot
    transfer a caller to this agent, e.g. for the caller's language)."""


class CallLogSettings(BaseModel):
    """The call log store."""

    url: str = Field(default_factory=lambda: f"sqlite:///{data_dir() / 'calls.db'}")
    """`sqlite:///path/calls.db` or `postgresql://user@host/db`."""
    retention_days: int = 90
    """Personal data (numbers, notes) older than this is purged by `lotse calllog purge`."""
    outbox: Path = Field(default_factory=lambda: data_dir() / "outbox.db")
    """Local SQLite file where writes wait while a PostgreSQL store is unreachable."""
    service_opens: dt.time = dt.time(8, 0)
    """Start of service hours (call-back due times count only service hours)."""
    service_closes: dt.time = dt.time(18, 0)
    """End of service hours."""
    service_weekdays: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    """Working weekdays, Monday = 0."""
    timezone: str = "Europe/Berlin"
    """Zone of the service hours and of the local day/hour stored with each call."""
    holiday_state: str | None = None
    """Federal state whose public holidays close the centre; None: the KB's `state`."""
    callback_hours: float = 24
    """Service hours until a call-back is due (the 115 promise: 24)."""


class SupervisorSettings(BaseModel):
    """Figures for supervisors: the service promise's targets and the live screen."""

    service_level_seconds: int = Field(default=30, ge=1)
    """A call counts for the service level when answered within this many seconds (75/30)."""
    service_level_target: float = Field(default=0.75, ge=0, le=1)
    """Target share of calls answered within `service_level_seconds`."""
    fcr_target: float = Field(default=0.65, ge=0, le=1)
    """Target share of answered calls resolved at first contact."""
    refresh_seconds: float = Field(default=5.0, gt=0)
    """How often the supervisor screen re-queries the call log."""
    number_roles: list[str] = Field(default_factory=list)
    """Roles that see callers' full numbers in the call-log browser (masked for all others)."""
    hours_per_post: float = Field(default=DEFAULT_HOURS_PER_POST, gt=0, le=8784)
    """Net hours a full-time post works in a year: cases per post = cases per staffed hour
    times this (the comparison ring's "Fälle je Vollzeitstelle")."""
    survey_weekdays: list[int] = Field(default_factory=lambda: list(DEFAULT_WEEKDAYS))
    """Weekdays of the satisfaction grid (1 = Monday ... 7 = Sunday)."""
    survey_windows: list[str] = Field(default_factory=lambda: list(DEFAULT_WINDOWS))
    """Time windows of the satisfaction grid, whole local hours (`08-10`), not overlapping."""

    @model_validator(mode="after")
    def _grid(self) -> SupervisorSettings:
        """The weekdays and windows must make a grid (one line otherwise)."""
        self.grid()
        return self

    def grid(self) -> SurveyGrid:
        """The satisfaction grid these settings describe."""
        return SurveyGrid.of(self.survey_weekdays, self.survey_windows)


class SurveySettings(BaseModel):
    """The caller survey after a call ("mit Umfrage", docs/survey.md)."""

    context: str = "lotse-survey"
    """Dialplan context of the survey: the console hands callers there, the recorder knows a
    blind transfer there is no transfer; "" switches the survey off."""
    extension: str = Field(default="1", pattern=r"^[0-9*#]{1,20}$")
    """The survey's extension in that context."""
    every_nth_call: int = Field(default=0, ge=0, le=1000)
    """Offer the survey on every Nth answered call of a console (0: only when the agent
    chooses it); the agent may still take it back for a call."""


class MunicipalitySettings(BaseModel):
    """Whose call it is: the municipality from the number dialled or the queue (issue 16)."""

    by_number: dict[str, str] = Field(default_factory=dict)
    """Dialled number (the caller's `Exten`, e.g. "1150002") -> municipality id of the KB."""
    by_queue: dict[str, str] = Field(default_factory=dict)
    """Queue -> municipality id (for a queue per municipality)."""
    default: str | None = None
    """The municipality of a call neither map names; None: the KB's home municipality."""

    def routing(self, languages: LanguageSettings) -> Routing:
        """The maps as the pure `telephony.origin.Routing` (the recorder and the console)."""
        return Routing(
            by_number=dict(self.by_number),
            by_queue=dict(self.by_queue),
            default=self.default,
            languages_by_queue=dict(languages.by_queue),
            pbx_default_language=languages.pbx_default,
        )


_LANGUAGE = r"^[a-z]{2,3}$"


class LanguageSettings(BaseModel):
    """Languages: the agents' and the callers' (from the queue or the IVR's choice)."""

    agents: dict[str, list[str]] = Field(default_factory=dict)
    """Agent id -> languages the agent speaks (ISO 639-1, e.g. ["de", "tr"]); an agent not
    listed speaks German. The transfer dialog offers free colleagues speaking the caller's."""
    by_queue: dict[str, str] = Field(default_factory=dict)
    """Queue -> language of its callers (a queue per language)."""
    pbx_default: str = Field(default="en", pattern=_LANGUAGE)
    """The PBX's default channel language (Asterisk: `defaultlanguage`, "en"): a caller whose
    channel is still in it made no choice, and is taken to speak German."""

    @field_validator("agents")
    @classmethod
    def _codes(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        """Every language is an ISO 639-1 (or -3) code in lower case."""
        for agent, codes in value.items():
            for code in codes:
                if not re.fullmatch(_LANGUAGE, code):
                    raise ValueError(f"{agent}: {code!r} is not a language code like 'tr'")
        return value

    @field_validator("by_queue")
    @classmethod
    def _queue_codes(cls, value: dict[str, str]) -> dict[str, str]:
        """Every queue's language is a code in lower case."""
        for queue, code in value.items():
            if not re.fullmatch(_LANGUAGE, code):
                raise ValueError(f"{queue}: {code!r} is not a language code like 'tr'")
        return value

    def of(self, agent_id: str) -> list[str]:
        """The languages `agent_id` speaks (German when not listed)."""
        return self.agents.get(agent_id) or ["de"]


class RecorderSettings(BaseModel):
    """`lotse recorder`: the headless service writing every queue call to the call log."""

    queues: list[str] = Field(default_factory=list)
    """Queues to record; empty: every queue the PBX reports."""
    outbox: Path = Field(default_factory=lambda: data_dir() / "recorder-outbox.db")
    """Its own local outbox (writes wait there while a PostgreSQL call log is down)."""
    state: Path = Field(default_factory=lambda: data_dir() / "recorder-state.json")
    """Calls in progress a stopping recorder hands to the next one (restarts)."""


class WallboardSettings(BaseModel):
    """`lotse wallboard`: the web page for the wall screen."""

    host: str = "127.0.0.1"
    """Where it listens; anything but a loopback address needs `token`."""
    port: int = Field(default=8115, ge=0, le=65535)
    token: SecretStr | None = None
    """Access token (16+ characters of A-Z a-z 0-9 . _ ~ -); required beyond localhost."""


class Settings(BaseSettings):
    """All of Lotse's settings."""

    model_config = SettingsConfigDict(env_prefix="LOTSE_", env_nested_delimiter="__")

    agent_id: str = "agent1"
    """The agent working at this console."""
    kb: KbSettings = Field(default_factory=KbSettings)
    search: SearchSettings = Field(default_factory=SearchSettings)
    pbx: PbxSettings = Field(default_factory=PbxSettings)
    calllog: CallLogSettings = Field(default_factory=CallLogSettings)
    supervisor: SupervisorSettings = Field(default_factory=SupervisorSettings)
    recorder: RecorderSettings = Field(default_factory=RecorderSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    wallboard: WallboardSettings = Field(default_factory=WallboardSettings)
    survey: SurveySettings = Field(default_factory=SurveySettings)
    municipalities: MunicipalitySettings = Field(default_factory=MunicipalitySettings)
    languages: LanguageSettings = Field(default_factory=LanguageSettings)
    agents: dict[str, AgentIdentity] = Field(
        default_factory=lambda: {
            "agent1": AgentIdentity(interfaces=["Local/agent1@agents/n"], name="Agent 1"),
            "agent2": AgentIdentity(interfaces=["Local/agent2@agents/n"], name="Agent 2"),
        }
    )
    """Agent id -> queue member interfaces, queues and role."""


class SettingsError(Exception):
    """The settings file or a LOTSE_ variable is unreadable or invalid (one line for the CLI)."""


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from an optional TOML file; LOTSE_ environment variables take precedence.

    Raises:
        SettingsError: the file cannot be read, is not TOML, or a value is invalid.
    """
    values: dict[str, Any] = {}
    if path is not None:
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SettingsError(f"{path}: cannot read settings: {exc.strerror}") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{path}: invalid TOML: {exc}") from exc
    try:
        from_env = Settings().model_dump(exclude_unset=True)
        settings = Settings.model_validate(_deep_merge(values, from_env))
    except EnvironmentSettingsError as exc:  # e.g. LOTSE_PBX='{"host": ' (not JSON)
        raise SettingsError(f"invalid LOTSE_ environment variable: {exc}") from None
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        source = f"{path}: " if path is not None else ""
        raise SettingsError(f"{source}setting {where}: {error['msg']}") from None
    _check_text(settings, "")
    return settings


def _check_text(value: object, where: str) -> None:
    """SettingsError when a text setting holds bytes that are not UTF-8.

    Python decodes such bytes in an environment variable to lone surrogates, which can be
    neither sent to the PBX nor printed; the value itself is never echoed.
    """
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise SettingsError(
                f"setting {where}: not valid UTF-8 (check the LOTSE_ environment variable)"
            ) from None
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _check_text(getattr(value, name), f"{where}.{name}" if where else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, where)
            _check_text(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{where}.{index}")


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` on top of `base`, merging nested tables key by key."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out
