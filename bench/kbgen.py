"""Synthetic knowledge bases for benchmarks: the sample KB plus generated German service articles.

Run: .venv/bin/python bench/kbgen.py 1000 --out /tmp/kb-1000   (writes YAML files)
In code: `generate(1000)` returns an in-memory KnowledgeBase (the sample's 61 articles and
offices, then generated articles up to the count), deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from kb.loader import KnowledgeBase, load
from kb.models import Article, Office

SAMPLE = Path(__file__).resolve().parent.parent / "kb"

# Subjects of administrative services: (noun phrase, category, colloquial words callers use).
SUBJECTS: list[tuple[str, str, list[str]]] = [
    ("Sondernutzungserlaubnis", "Straßen und Verkehr", ["Straße nutzen", "Gehweg nutzen"]),
    ("Parkerleichterung", "Straßen und Verkehr", ["Parkplatz", "Parken"]),
    ("Halteverbotszone", "Straßen und Verkehr", ["Umzugsschild", "Halteverbot"]),
    ("Baumfällgenehmigung", "Umwelt", ["Baum fällen", "Baum absägen"]),
    ("Grünschnittabholung", "Abfall", ["Gartenabfall", "Laub"]),
    ("Biotonne", "Abfall", ["Biomüll", "braune Tonne"]),
    ("Restmülltonne", "Abfall", ["Mülltonne", "graue Tonne"]),
    ("Elektroschrottabholung", "Abfall", ["Kühlschrank entsorgen", "Fernseher entsorgen"]),
    ("Schankerlaubnis", "Gewerbe", ["Ausschank", "Bier verkaufen"]),
    ("Reisegewerbekarte", "Gewerbe", ["Hausierer", "Wanderhandel"]),
    ("Marktstand", "Gewerbe", ["Wochenmarkt", "Standplatz"]),
    ("Spielhallenerlaubnis", "Gewerbe", ["Spielhalle", "Automaten"]),
    ("Bewachungsgewerbe", "Gewerbe", ["Security", "Wachdienst"]),
    ("Maklererlaubnis", "Gewerbe", ["Immobilienmakler", "Makler"]),
    ("Taxikonzession", "Verkehr", ["Taxi", "Taxischein"]),
    ("Personenbeförderungsschein", "Verkehr", ["P-Schein", "Fahrgastbeförderung"]),
    ("Schwertransportgenehmigung", "Verkehr", ["Schwertransport", "Übergröße"]),
    ("Anwohnerparkzone", "Verkehr", ["Parkzone", "Anwohner"]),
    ("Fahrradregistrierung", "Verkehr", ["Fahrrad codieren", "Rad"]),
    ("Wohnungsgeberbescheinigung", "Meldewesen", ["Vermieterbescheinigung", "Einzug"]),
    ("Lebensbescheinigung", "Meldewesen", ["Rente Ausland", "Nachweis Leben"]),
    ("Haushaltsbescheinigung", "Meldewesen", ["Haushalt", "Mitbewohner"]),
    ("Übermittlungssperre", "Meldewesen", ["Daten sperren", "Werbung"]),
    ("Ehefähigkeitszeugnis", "Standesamt", ["Heirat im Ausland", "Ehefähigkeit"]),
    ("Lebenspartnerschaftsurkunde", "Standesamt", ["Partnerschaft", "Lebenspartner"]),
    ("Vaterschaftsanerkennung", "Standesamt", ["Vater", "unverheiratet"]),
    ("Sorgeerklärung", "Familie", ["Sorgerecht", "gemeinsames Sorgerecht"]),
    ("Unterhaltsvorschuss", "Familie", ["Unterhalt", "alleinerziehend"]),
    ("Beistandschaft", "Familie", ["Jugendamt Unterhalt", "Vaterschaft klären"]),
    ("Kindertagespflege", "Familie", ["Tagesmutter", "Tagesvater"]),
    ("Schülerbeförderung", "Schule", ["Schulbus", "Schülerticket"]),
    ("Schulanmeldung", "Schule", ["Einschulung", "Schule anmelden"]),
    ("Bildungsgutschein", "Bildung", ["Bildung und Teilhabe", "Nachhilfe"]),
    ("Ausbildungsförderung", "Bildung", ["BAföG", "Schüler-BAföG"]),
    ("Bibliotheksausweis", "Kultur", ["Bücherei", "Bücher ausleihen"]),
    ("Musikschulanmeldung", "Kultur", ["Musikschule", "Instrument lernen"]),
    ("Sportstättennutzung", "Sport", ["Turnhalle mieten", "Sportplatz"]),
    ("Schwimmbadkarte", "Sport", ["Hallenbad", "Freibad"]),
    ("Grundsicherung", "Soziales", ["Sozialhilfe", "Rente reicht nicht"]),
    ("Hilfe zur Pflege", "Soziales", ["Pflegeheim bezahlen", "Pflegekosten"]),
    ("Blindengeld", "Soziales", ["blind", "Sehbehinderung"]),
    ("Sozialpass", "Soziales", ["Ermäßigung", "Familienpass"]),
    ("Wohnungslosenhilfe", "Soziales", ["obdachlos", "Notunterkunft"]),
    ("Schuldnerberatung", "Soziales", ["Schulden", "Insolvenz"]),
    ("Mietspiegel", "Wohnen", ["Miete zu hoch", "Vergleichsmiete"]),
    ("Zweckentfremdungsgenehmigung", "Wohnen", ["Ferienwohnung", "Leerstand"]),
    ("Abgeschlossenheitsbescheinigung", "Bauen", ["Teilung", "Eigentumswohnung"]),
    ("Bauvorbescheid", "Bauen", ["Voranfrage", "Bauvoranfrage"]),
    ("Abrissgenehmigung", "Bauen", ["Abriss", "Haus abreißen"]),
    ("Hausnummernvergabe", "Bauen", ["Hausnummer", "Neubau Adresse"]),
    ("Denkmalschutzgenehmigung", "Bauen", ["Denkmal", "Altbau"]),
    ("Grundstücksteilung", "Bauen", ["Grundstück teilen", "Flurstück"]),
    ("Erschließungsbeitrag", "Steuern und Abgaben", ["Straßenausbau", "Anliegerbeitrag"]),
    ("Vergnügungsteuer", "Steuern und Abgaben", ["Spielautomat", "Tanzveranstaltung"]),
    ("Gewerbesteuer", "Steuern und Abgaben", ["Steuer Firma", "Hebesatz"]),
    ("Abwassergebühr", "Steuern und Abgaben", ["Kanalgebühr", "Niederschlagswasser"]),
    ("Straßenreinigungsgebühr", "Steuern und Abgaben", ["Straßenreinigung", "Winterdienst"]),
    ("Waffenbesitzkarte", "Sicherheit", ["Waffe", "Sportschütze"]),
    ("Kleiner Waffenschein", "Sicherheit", ["Schreckschusspistole", "Gaspistole"]),
    ("Sprengstofferlaubnis", "Sicherheit", ["Feuerwerk", "Böller"]),
    ("Veranstaltungsgenehmigung", "Ordnung", ["Straßenfest", "Veranstaltung"]),
    ("Lärmschutzausnahme", "Ordnung", ["Lärm", "Nachtarbeit"]),
    ("Plakatierungserlaubnis", "Ordnung", ["Plakate", "Wahlwerbung"]),
    ("Gefährlicher Hund", "Ordnung", ["Kampfhund", "Listenhund"]),
    ("Tierhaltungserlaubnis", "Veterinärwesen", ["Tierheim", "Zoohandlung"]),
    ("Lebensmittelkontrolle", "Veterinärwesen", ["Hygiene", "Restaurant Beschwerde"]),
    ("Trinkwasseruntersuchung", "Gesundheit", ["Wasser", "Legionellen"]),
    ("Gesundheitszeugnis", "Gesundheit", ["Belehrung Infektionsschutz", "Rote Karte"]),
    ("Impfberatung", "Gesundheit", ["Impfung", "Reiseimpfung"]),
    ("Amtsärztliche Untersuchung", "Gesundheit", ["Amtsarzt", "Dienstfähigkeit"]),
    ("Leichenpass", "Gesundheit", ["Überführung Verstorbener", "Bestattung Ausland"]),
    ("Urnenbeisetzung", "Friedhof", ["Urne", "Beerdigung"]),
    ("Grabnutzungsrecht", "Friedhof", ["Grab verlängern", "Grabstelle"]),
    ("Ehrenamtskarte", "Ehrenamt", ["Ehrenamt", "Vergünstigung"]),
    ("Vereinsregisterauszug", "Justiz", ["Verein", "Vereinsregister"]),
    ("Beratungshilfeschein", "Justiz", ["Anwalt", "Rechtsberatung"]),
    ("Schöffenbewerbung", "Justiz", ["Schöffe", "Laienrichter"]),
    ("Wahlhelfereinsatz", "Wahlen", ["Wahlhelfer", "Erfrischungsgeld"]),
    ("Einsicht Wählerverzeichnis", "Wahlen", ["Wählerverzeichnis", "Wahlrecht"]),
    ("Jugendschutzausnahme", "Jugend", ["Jugendschutz", "Party Jugendliche"]),
    ("Ferienbetreuung", "Jugend", ["Ferien", "Ferienprogramm"]),
]
ACTIONS = [
    "beantragen",
    "verlängern",
    "ändern",
    "abmelden",
    "anmelden",
    "kündigen",
    "ersetzen",
    "widersprechen",
    "erstatten lassen",
    "nachweisen",
    "einsehen",
    "übertragen",
    "zurückgeben",
    "prüfen lassen",
    "online beantragen",
    "befristet beantragen",
    "vorzeitig beenden",
    "aussetzen lassen",
    "nachholen",
    "bescheinigen lassen",
]
QUALIFIERS = [
    "",
    "für Unternehmen",
    "für Privatpersonen",
    "für Minderjährige",
    "für Vereine",
    "im Stadtteil Nord",
    "im Stadtteil Süd",
    "für Studierende",
    "für Seniorinnen und Senioren",
    "bei Umzug",
    "im Eilverfahren",
    "nach Fristablauf",
    "für Menschen mit Behinderung",
    "für Landwirte",
    "für Gastronomiebetriebe",
    "für Handwerksbetriebe",
    "für Grenzgänger",
    "in Sonderfällen",
    "mit Vollmacht",
    "ohne Termin",
    "im Stadtteil Ost",
    "im Stadtteil West",
    "in der Innenstadt",
    "im Gewerbegebiet",
    "für Familien",
    "für Alleinerziehende",
    "für Auszubildende",
    "für Rentnerinnen und Rentner",
    "für Pflegebedürftige",
    "für Geflüchtete",
    "für EU-Bürgerinnen und EU-Bürger",
    "für Eheleute",
    "für Erbengemeinschaften",
    "für Hauseigentümer",
    "für Mieterinnen und Mieter",
    "für Vermieter",
    "für Schulen",
    "für Kirchengemeinden",
    "für Stiftungen",
    "für Kleinunternehmen",
    "für Schausteller",
    "für Pflegeeltern",
    "für Beamtinnen und Beamte",
    "für Soldatinnen und Soldaten",
    "für Saisonarbeitskräfte",
    "für Wohnungseigentümergemeinschaften",
    "für Genossenschaften",
    "für Kleingärtner",
    "für Tierhalter",
    "für Veranstalter",
    "für Kulturschaffende",
    "für Sportvereine",
    "für Ärztinnen und Ärzte",
    "für Pflegedienste",
    "für Fahrschulen",
    "für Spediteure",
    "nach einem Todesfall",
    "nach einer Scheidung",
    "bei Auslandsaufenthalt",
    "bei Insolvenz",
    "per Post",
]
#: The office of a generated article by category: the sample's office where one fits, else a
#: generated one (id, name). Chosen by category, as a real catalogue would, so an office's name
#: ("Elterngeldstelle") does not turn up in thousands of unrelated articles.
CATEGORY_OFFICES: dict[str, tuple[str, str]] = {
    "Meldewesen": ("buergerbuero", ""),
    "Standesamt": ("standesamt", ""),
    "Gewerbe": ("gewerbeamt", ""),
    "Steuern und Abgaben": ("steueramt", ""),
    "Bauen": ("bauordnungsamt", ""),
    "Wahlen": ("wahlamt", ""),
    "Wohnen": ("wohnungsamt", ""),
    "Straßen und Verkehr": ("strassenverkehrsbehoerde", ""),
    "Verkehr": ("strassenverkehrsbehoerde", ""),
    "Abfall": ("abfallwirtschaft", ""),
    "Justiz": ("amtsgericht", ""),
    "Ordnung": ("gen-ordnungsamt", "Ordnungsamt"),
    "Sicherheit": ("gen-ordnungsamt", "Ordnungsamt"),
    "Soziales": ("gen-sozialamt", "Sozialamt"),
    "Familie": ("gen-familienbuero", "Familienbüro"),
    "Jugend": ("gen-jugendfoerderung", "Jugendförderung"),
    "Gesundheit": ("gen-gesundheitsamt", "Gesundheitsamt des Kreises"),
    "Veterinärwesen": ("gen-veterinaeramt", "Veterinär- und Lebensmittelüberwachungsamt"),
    "Schule": ("gen-schulverwaltung", "Schulverwaltungsamt"),
    "Bildung": ("gen-schulverwaltung", "Schulverwaltungsamt"),
    "Kultur": ("gen-kulturamt", "Kulturamt"),
    "Sport": ("gen-sportamt", "Sport- und Bäderamt"),
    "Friedhof": ("gen-friedhofsverwaltung", "Friedhofsverwaltung"),
    "Umwelt": ("gen-umweltamt", "Umweltamt"),
    "Ehrenamt": ("gen-ehrenamtsbuero", "Ehrenamtsbüro"),
}
DOCUMENTS = [
    "Personalausweis oder Reisepass",
    "Vollmacht der vertretenen Person",
    "Nachweis über das Einkommen",
    "aktueller Mietvertrag",
    "Auszug aus dem Handelsregister",
    "Lageplan im Maßstab 1:500",
    "Nachweis der Haftpflichtversicherung",
    "ärztliches Attest",
    "Meldebescheinigung",
    "Bescheid des Vorjahres",
    "Satzung des Vereins",
    "Kontoverbindung (IBAN)",
]
SENTENCES = [
    "Den Antrag auf {s} stellen Sie schriftlich oder online bei der zuständigen Stelle.",
    "Für {s} benötigen Sie in der Regel {d} und {d2}.",
    "Die Bearbeitung dauert meist {n} Wochen, wenn alle Unterlagen vollständig vorliegen.",
    "Die Gebühr für {s} richtet sich nach dem Verwaltungsaufwand und beträgt etwa {f} Euro.",
    "Wer {s} {a} möchte, sollte frühzeitig einen Termin vereinbaren.",
    "Ändern sich die Verhältnisse, ist die Stelle unverzüglich zu informieren.",
    "Gegen den Bescheid kann innerhalb eines Monats Widerspruch eingelegt werden.",
    "Auskünfte zu {s} erteilt die Servicestelle telefonisch während der Sprechzeiten.",
    "Eine Vertretung ist mit schriftlicher Vollmacht möglich.",
    "Bei Fragen zum Verfahren hilft das Bürgertelefon weiter.",
    "Unvollständige Anträge verzögern die Bearbeitung erheblich.",
    "Die Entscheidung wird schriftlich per Bescheid mitgeteilt.",
]


def generate(count: int, seed: int = 115) -> KnowledgeBase:
    """The sample KB plus generated articles, `count` articles in all (at least the sample)."""
    kb = load(SAMPLE)
    rng = random.Random(seed)
    combos = [(s, a, q) for s in SUBJECTS for a in ACTIONS for q in QUALIFIERS]
    wanted = max(0, count - len(kb.articles))
    if wanted > len(combos):
        raise ValueError(f"at most {len(combos) + len(kb.articles)} articles can be generated")
    rng.shuffle(combos)
    kb.offices.update(_offices())
    for n, (subject, action, qualifier) in enumerate(combos[:wanted]):
        office = CATEGORY_OFFICES[subject[1]][0]
        article = _article(n, subject, action, qualifier, rng, office)
        kb.articles[article.id] = article
    return kb


def _offices() -> dict[str, Office]:
    """The generated offices of CATEGORY_OFFICES (the sample's own are kept as they are)."""
    out = {}
    for n, (office_id, name) in enumerate(sorted(set(CATEGORY_OFFICES.values()))):
        if name:
            out[office_id] = Office(id=office_id, name=name, extension=str(2500 + n))
    return out


def _article(
    n: int,
    subject: tuple[str, str, list[str]],
    action: str,
    qualifier: str,
    rng: random.Random,
    office: str,
) -> Article:
    noun, category, colloquial = subject
    title = " ".join(part for part in (noun, qualifier, action) if part)
    slots = {"s": noun, "a": action, "n": rng.randint(1, 8), "f": rng.randint(5, 300)}
    body = [
        rng.choice(SENTENCES).format(**slots, d=rng.choice(DOCUMENTS), d2=rng.choice(DOCUMENTS))
        for _ in range(rng.randint(4, 8))
    ]
    return Article(
        id=f"gen-{n:05d}",
        title=title,
        synonyms=[*colloquial, f"{noun} {action}"],
        short_answer=f"{noun} {action}: {body[0]}",
        description=" ".join(body[1:]),
        documents=rng.sample(DOCUMENTS, 3),
        procedure=[f"Antrag auf {noun} stellen.", "Unterlagen einreichen.", "Bescheid abwarten."],
        office=office,
        category=category,
        tags=[noun.split()[0], category],
        status="published",
        owner="Benchmark",
        last_reviewed=date(2026, 1, 1),
    )


def write(kb: KnowledgeBase, out: Path) -> None:
    """Write a KB's base layer as YAML files (articles and offices) into `out`."""
    base_offices = {k: o for k, o in kb.offices.items() if k not in kb.office_owners}
    for kind, items in (("articles", kb.articles), ("offices", base_offices)):
        for item_id, item in items.items():
            _dump(out / kind / f"{item_id}.yaml", _data(item))


#: Parts of generated town names ("Oberbach", "Neuenfeld", ...): 8 x 12 = 96 towns.
TOWN_HEADS = ["Ober", "Nieder", "Alt", "Neuen", "Hohen", "Kirch", "Wald", "Mühl"]
TOWN_TAILS = ["bach", "feld", "dorf", "heim", "hausen", "berg", "stein", "au", "rode",
              "hagen", "born", "kirchen"]  # fmt: skip
#: Of a town's versions of base articles, the share whose indexed text differs (a short answer
#: with the town's fee, its own documents): the rest replace only fees, the online link or the
#: office, which the index shares with the base.
TEXT_SHARE = 0.6
#: Local services (complete articles only that town has) per town.
LOCAL_SERVICES = 40


@dataclass(frozen=True)
class Layered:
    """What `write_layered` wrote: counts of files and of the documents the index will hold."""

    base: int
    towns: int
    text_overlays: int
    other_overlays: int
    local_services: int

    @property
    def documents(self) -> int:
        """Index documents: the base, town versions with their own text, local services."""
        return self.base + self.text_overlays + self.local_services


def layer_plan(count: int, towns: int, share: float) -> tuple[int, int]:
    """(base articles, versions per town) so that the index holds about `count` documents."""
    # documents = base + towns * (base * share * TEXT_SHARE + LOCAL_SERVICES)
    base = (count - towns * LOCAL_SERVICES) / (1 + towns * share * TEXT_SHARE)
    return max(61, round(base)), round(max(61, base) * share)


def write_layered(
    count: int, out: Path, towns: int, share: float = 0.1, seed: int = 115
) -> Layered:
    """A layered KB in `out` whose index holds about `count` documents: the sample KB (with its
    municipalities) plus generated base articles, and `towns` generated towns, each with its
    own offices and office map, versions of a `share` of the base articles (fees, short answer,
    documents, online link) and its own local services.
    """
    base_count, per_town = layer_plan(count, towns, share)
    rng = random.Random(seed)
    kb = generate(base_count, seed)
    write(kb, out)
    shutil.copytree(SAMPLE / "municipalities", out / "municipalities")
    combos = _local_combos(seed)
    ids = sorted(kb.articles)
    text = other = local = 0
    for t in range(towns):
        place, name = _town(t)
        folder = out / "municipalities" / place
        offices = _town_offices(place, name, t)
        _dump(folder / "municipality.yaml", _municipality(place, name, t, offices))
        for office in offices.values():
            _dump(folder / "offices" / f"{office.id}.yaml", _data(office))
        for article_id in rng.sample(ids, min(per_town, len(ids))):
            overlay, changes_text = _overlay(kb.articles[article_id], name, rng)
            _dump(folder / "articles" / f"{article_id}.yaml", overlay)
            text, other = text + changes_text, other + (not changes_text)
        for n in range(LOCAL_SERVICES):
            subject, action = combos[(t * LOCAL_SERVICES + n) % len(combos)]
            service = _article(n, subject, action, f"in {name}", rng, offices["ordnung"].id)
            service = service.model_copy(update={"id": f"lokal-{place}-{n:03d}"})
            _dump(folder / "articles" / f"{service.id}.yaml", _data(service))
            local += 1
    return Layered(len(kb.articles), towns, text, other, local)


def _town(t: int) -> tuple[str, str]:
    name = TOWN_HEADS[t % len(TOWN_HEADS)] + TOWN_TAILS[t // len(TOWN_HEADS) % len(TOWN_TAILS)]
    if t >= len(TOWN_HEADS) * len(TOWN_TAILS):
        name += f" {t // (len(TOWN_HEADS) * len(TOWN_TAILS)) + 1}"
    return f"gen-town-{t:03d}", name


def _town_offices(place: str, name: str, t: int) -> dict[str, Office]:
    kinds = {"buerger": "Bürgerbüro", "ordnung": "Ordnungsamt", "standes": "Standesamt"}
    return {
        kind: Office(id=f"{place}-{kind}", name=f"{label} {name}", extension=f"{3000 + t}{n}")
        for n, (kind, label) in enumerate(kinds.items())
    }


def _municipality(place: str, name: str, t: int, offices: dict[str, Office]) -> dict[str, object]:
    mapping = {"buergerbuero": offices["buerger"].id, "buergerbuero-nord": offices["buerger"].id}
    mapping |= {"standesamt": offices["standes"].id, "wahlamt": offices["buerger"].id}
    mapping |= {o: offices["ordnung"].id for o in ("gewerbeamt", "fundbuero", "gen-ordnungsamt")}
    return {"id": place, "name": name, "state": "NW", "district": "Kreis Generiert",
            "ags": f"0599{t:04d}", "offices": mapping}  # fmt: skip


def _overlay(article: Article, town: str, rng: random.Random) -> tuple[dict[str, object], bool]:
    """An overlay of one base article in `town`, and whether it changes indexed text."""
    fee = rng.randint(5, 120)
    overlay: dict[str, object] = {
        "id": article.id,
        "fees": [{"amount": f"{fee}.00", "condition": f"in {town}"}],
        "online_service": f"https://{town.lower().replace(' ', '-')}.example/{article.id}",
    }
    if rng.random() >= TEXT_SHARE:
        return overlay, False
    overlay["short_answer"] = f"In {town} kostet das {fee} Euro. {article.short_answer}"
    if rng.random() < 0.5:
        overlay["documents"] = [{"name": name} for name in rng.sample(DOCUMENTS, rng.randint(1, 3))]
    return overlay, True


def _local_combos(seed: int) -> list[tuple[tuple[str, str, list[str]], str]]:
    rng = random.Random(seed + 1)
    combos = [(s, a) for s in SUBJECTS for a in ACTIONS]
    rng.shuffle(combos)
    return combos


def _data(item: Article | Office) -> dict[str, object]:
    data: dict[str, object] = item.model_dump(mode="json", exclude_defaults=True)
    return data


def _dump(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def main() -> None:
    """Write a generated KB to a folder (flat, or layered with --towns)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, help="articles (layered: index documents)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=115)
    parser.add_argument("--towns", type=int, default=0, help="generated towns (0: a flat KB)")
    parser.add_argument("--share", type=float, default=0.1, help="base articles each town overlays")
    args = parser.parse_args()
    if args.towns:
        made = write_layered(args.count, args.out, args.towns, args.share, args.seed)
        print(f"{made} -> {args.out}")
        return
    kb = generate(args.count, args.seed)
    write(kb, args.out)
    print(f"{len(kb.articles)} articles, {len(kb.offices)} offices -> {args.out}")


if __name__ == "__main__":
    main()
