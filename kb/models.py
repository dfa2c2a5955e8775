"""The knowledge-base model: articles (services), offices and their parts, as pydantic models."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

#: Article and office ids: lower-case ASCII words joined by hyphens (the file stem).
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: A LeiKa key: 14 digits, always starting with 99.
LEIKA_PATTERN = r"^99\d{12}$"
#: One opening interval, e.g. `08:00-12:30` (24:00 allowed as an end).
TIME_RANGE_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$"
#: An internal phone extension of the PBX.
EXTENSION_PATTERN = r"^\d{2,8}$"
#: An external phone number: digits, optionally a leading +, spaces, slashes and hyphens.
PHONE_PATTERN = r"^\+?[0-9][0-9 /-]{3,30}[0-9]$"
URL_PATTERN = r"^https?://[^\s]+$"
#: An ISO 639-1 language code, e.g. "tr", "uk", "en".
LANGUAGE_PATTERN = r"^[a-z]{2}$"
#: An amtlicher Gemeindeschlüssel (AGS): 8 digits.
AGS_PATTERN = r"^\d{8}$"

#: Fields the editorial workflow writes (kb/lifecycle.py, kb/workflow.py), not the editors.
WORKFLOW_FIELDS = frozenset(
    {"status", "submitted_by", "submitted_at", "approved_by", "approved_at", "last_reviewed"}
)
#: Article statuses in lifecycle order (see kb/lifecycle.py): only `published` reaches agents.
STATUSES: tuple[str, ...] = ("draft", "review", "published", "archived")


def _one_line(value: str | None) -> str | None:
    if value is not None and ("\n" in value or "\t" in value):
        raise ValueError("Zeilenumbruch oder Tabulator ist in diesem Feld nicht erlaubt")
    return value


Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=2, max_length=80)]
Text = Annotated[str, Field(min_length=1)]
"""Text that may span lines and contain tabs (short answer, notes, steps)."""
Line = Annotated[str, Field(min_length=1), AfterValidator(_one_line)]
"""Text on one line (titles, names, conditions): no line break, no tab."""
OptLine = Annotated[str | None, AfterValidator(_one_line)]
TimeRange = Annotated[str, Field(pattern=TIME_RANGE_PATTERN, examples=["08:00-12:30"])]
Url = Annotated[str, Field(pattern=URL_PATTERN)]
Language = Annotated[str, Field(pattern=LANGUAGE_PATTERN)]
"""An ISO 639-1 language code, quoted in YAML ("no" is Norwegian, not false)."""
Status = Literal["draft", "review", "published", "archived"]
TimeUnit = Literal["minutes", "hours", "days", "weeks", "months", "years"]
#: German federal states (ISO 3166-2:DE subdivision codes), as the holidays package names them.
FederalState = Literal[
    "BB", "BE", "BW", "BY", "HB", "HE", "HH", "MV", "NI", "NW", "RP", "SH", "SL", "SN", "ST", "TH"
]  # fmt: skip


class _Model(BaseModel):
    """Base: unknown fields are errors, strings are stripped, models are immutable."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=True, use_attribute_docstrings=True
    )


class Document(_Model):
    """A required document, general case first, its condition after."""

    name: Line
    """What to bring, e.g. "Personalausweis oder Reisepass"."""
    condition: OptLine = None
    """When it is needed, e.g. "bei Vertretung"; empty means always."""
    original: StrictBool = True
    """False when a copy is enough."""


class Fee(_Model):
    """One fee: an amount in EUR (Decimal), or free of charge, with the case it applies to."""

    amount: Decimal | None = Field(default=None, ge=0, max_digits=9, decimal_places=2)
    """Amount in EUR; write it quoted ("46.00") or as a number."""
    amount_max: Decimal | None = Field(default=None, ge=0, max_digits=9, decimal_places=2)
    """Upper bound when the fee is a range (amount .. amount_max)."""
    free: StrictBool = False
    """True when the service costs nothing in this case."""
    condition: OptLine = None
    """When this fee applies, e.g. "ab 24 Jahren"."""
    per: OptLine = None
    """Unit of charging, e.g. "Jahr", "Hund", "Seite"."""
    approximate: StrictBool = False
    """True when the figure is a typical local value, not a fixed national fee."""

    @field_validator("amount", "amount_max", mode="before")
    @classmethod
    def _float_to_decimal(cls, value: object) -> object:
        # YAML numbers arrive as float; go through str so 27.6 stays 27.6, not 27.6000000001.
        return str(value) if isinstance(value, float) else value

    @model_validator(mode="after")
    def _amount_or_free(self) -> Self:
        if self.free and self.amount not in (None, Decimal(0)):
            raise ValueError("eine kostenfreie Gebühr (free: true) hat keinen Betrag")
        if not self.free and self.amount is None:
            raise ValueError("Betrag (amount) angeben oder free: true")
        if self.amount_max is not None and (self.amount is None or self.amount_max < self.amount):
            raise ValueError("amount_max darf nicht unter amount liegen")
        return self


class Duration(_Model):
    """A structured time span such as a processing time: value (or range) and unit."""

    value: int = Field(ge=0)
    value_max: int | None = Field(default=None, ge=0)
    unit: TimeUnit
    note: str | None = None
    """Free text, e.g. "nach Eingang aller Unterlagen"."""

    @model_validator(mode="after")
    def _range(self) -> Self:
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError("value_max darf nicht unter value liegen")
        return self


class Deadline(_Model):
    """A deadline the citizen must keep, e.g. register within 2 weeks of moving in."""

    description: Text
    within: Duration | None = None
    """The structured period, when there is one."""


class Link(_Model):
    """A form or web page."""

    title: Line
    url: Url


class Article(_Model):
    """One service (Leistung) as the agent reads it; one YAML file `kb/articles/<id>.yaml`."""

    id: Id
    """Equal to the file name without `.yaml`."""
    title: Line
    """The usual German service name."""
    leika: Annotated[str, Field(pattern=LEIKA_PATTERN)] | None = None
    """LeiKa service key (14 digits starting with 99), quoted."""
    synonyms: list[Line] = Field(default_factory=list)
    """Words callers use: "Perso", "Ummeldung", "GEZ"."""
    short_answer: Text
    """Two or three sentences the agent reads out first."""
    description: str = ""
    """Longer explanation (Volltext)."""
    documents: list[Document] = Field(default_factory=list)
    prerequisites: list[Text] = Field(default_factory=list)
    fees: list[Fee] = Field(default_factory=list)
    processing_time: Duration | None = None
    deadlines: list[Deadline] = Field(default_factory=list)
    procedure: list[Text] = Field(default_factory=list)
    """Steps in order."""
    online_service: Url | None = None
    forms: list[Link] = Field(default_factory=list)
    legal_basis: list[Text] = Field(default_factory=list)
    office: Id
    """Id of the responsible office (`kb/offices/<id>.yaml`)."""
    agent_notes: list[Text] = Field(default_factory=list)
    """Internal handling notes, never read out to callers."""
    short_answer_easy: Text | None = None
    """The short answer in Leichte Sprache (easy-to-read German), shown on request."""
    short_answer_translations: dict[Language, Text] = Field(default_factory=dict)
    """The short answer in other languages, by ISO 639-1 code ("tr", "uk", "en", "ar")."""
    category: Line
    tags: list[Line] = Field(default_factory=list)
    status: Status = "draft"
    """draft -> review (`lotse kb submit`) -> published (`lotse kb approve`) -> archived."""
    owner: Line
    """The editor or team responsible for the article."""
    submitted_by: Line | None = None
    """Who submitted the current text for review (written by `lotse kb submit`)."""
    submitted_at: AwareDatetime | None = None
    approved_by: Line | None = None
    """Who approved it, never the submitter (written by `lotse kb approve`)."""
    approved_at: AwareDatetime | None = None
    last_reviewed: dt.date
    review_interval_days: int = Field(default=365, ge=1, le=3650)

    @field_validator("documents", mode="before")
    @classmethod
    def _document_shorthand(cls, value: object) -> object:
        # A plain string is shorthand for a document without a condition.
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value


class Address(_Model):
    """A postal address with an optional room."""

    street: Line
    postal_code: Annotated[str, Field(pattern=r"^\d{5}$")]
    city: Line
    room: OptLine = None


class Appointment(_Model):
    """How citizens get served: walk-in or by appointment."""

    required: StrictBool = False
    """True when the office serves by appointment only."""
    booking_url: Url | None = None
    note: str | None = None


class WeeklyHours(_Model):
    """Regular opening hours per weekday (German abbreviations); several intervals = split shift."""

    mo: list[TimeRange] = Field(default_factory=list)
    di: list[TimeRange] = Field(default_factory=list)
    mi: list[TimeRange] = Field(default_factory=list)
    do: list[TimeRange] = Field(default_factory=list)
    fr: list[TimeRange] = Field(default_factory=list)
    sa: list[TimeRange] = Field(default_factory=list)
    so: list[TimeRange] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        for day in WEEKDAYS:
            ranges = [_minutes(r) for r in getattr(self, day)]
            for start, end in ranges:
                if end <= start:
                    raise ValueError(f"{day}: Zeitraum endet, bevor er beginnt")
            for (_, end), (start, _) in itertools.pairwise(ranges):
                if start < end:
                    raise ValueError(
                        f"{day}: Zeiträume überschneiden sich oder sind nicht aufsteigend"
                    )
        return self

    def for_weekday(self, weekday: int) -> list[str]:
        """The intervals of a weekday, Monday = 0."""
        ranges: list[str] = getattr(self, WEEKDAYS[weekday])
        return ranges


class DatedHours(_Model):
    """A dated exception: a closure (no hours) or different hours on one day or a span of days."""

    date: dt.date
    until: dt.date | None = None
    """Last day of a span (inclusive); omit for a single day."""
    hours: list[TimeRange] = Field(default_factory=list)
    """Empty means closed."""
    note: str | None = None
    """Shown to agents, e.g. "Betriebsausflug"."""


class Office(_Model):
    """An organisational unit (Organisationseinheit); one YAML file `kb/offices/<id>.yaml`."""

    id: Id
    name: Line
    external: StrictBool = False
    """True for bodies outside the city administration (Familienkasse, Beitragsservice, BZSt)."""
    shared: StrictBool = False
    """True for an office that serves every municipality of the centre, e.g. the district's
    (Kreis) Kfz-Zulassung or Ausländerbehörde; external offices count as shared too."""
    address: Address | None = None
    extension: Annotated[str, Field(pattern=EXTENSION_PATTERN)] | None = None
    """Internal PBX extension for transfers, quoted ("2001")."""
    phone: Annotated[str, Field(pattern=PHONE_PATTERN)] | None = None
    """Public or external number; transfers to external bodies go here."""
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")] | None = None
    website: Url | None = None
    appointment: Appointment = Field(default_factory=Appointment)
    languages: list[Language] = Field(default_factory=lambda: ["de"])
    """ISO 639-1 codes of the languages staff speak, quoted ("no" is Norwegian, not false)."""
    opening_hours: WeeklyHours = Field(default_factory=WeeklyHours)
    exceptions: list[DatedHours] = Field(default_factory=list)
    state: FederalState = "NW"
    """Federal state whose public holidays close the office."""
    closed_on_holidays: StrictBool = True
    notes: list[Text] = Field(default_factory=list)
    """Internal notes for agents about this office."""

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        if self.extension is None and self.phone is None:
            raise ValueError("eine Stelle braucht extension (Durchwahl) oder phone zum Verbinden")
        return self

    @property
    def transfer_target(self) -> str:
        """What a transfer dials: the internal extension, else the external number as digits."""
        if self.extension is not None:
            return self.extension
        assert self.phone is not None  # guaranteed by _reachable
        return dial_digits(self.phone)


class Municipality(_Model):
    """A municipality the centre answers for; `kb/municipalities/<id>/municipality.yaml`."""

    id: Id
    """Equal to the folder name."""
    name: Line
    """The name callers and agents use, e.g. "Beispielheim"."""
    state: FederalState
    """The federal state (its public holidays, its law)."""
    district: OptLine = None
    """The Kreis it belongs to, e.g. "Kreis Musterland"."""
    ags: Annotated[str, Field(pattern=AGS_PATTERN)] | None = None
    """Amtlicher Gemeindeschlüssel (8 digits), quoted."""
    home: StrictBool = False
    """True for the centre's own town, whose details the base layer describes."""
    offices: dict[Id, Id] = Field(default_factory=dict)
    """Base office id -> the office that does that job here (its own, or a neighbour's it
    shares, e.g. a joint Standesamt); articles of the base pointing to the first point to the
    second in this municipality unless its overlay names an office itself."""


#: Weekday keys in order, Monday first.
WEEKDAYS: tuple[str, ...] = ("mo", "di", "mi", "do", "fr", "sa", "so")


def dial_digits(phone: str) -> str:
    """A written number as the PBX dials it from Germany: `+49 2151 86-2001` -> `02151862001`."""
    digits = re.sub(r"[^0-9+]", "", phone)
    if digits.startswith("+49"):
        return "0" + digits[3:]
    if digits.startswith("+"):
        return "00" + digits[1:]
    return digits


def _minutes(time_range: str) -> tuple[int, int]:
    """`08:00-12:30` -> (480, 750): minutes since midnight of start and end."""
    start, end = time_range.split("-")
    return _to_minutes(start), _to_minutes(end)


def _to_minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def parse_range(time_range: str) -> tuple[int, int]:
    """Public form of the interval parser for the opening-hours maths."""
    return _minutes(time_range)
