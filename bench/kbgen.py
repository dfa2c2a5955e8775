"""Synthetic knowledge bases for benchmarks: the sample KB plus generated German service articles.

Run: .venv/bin/python bench/kbgen.py 1000 --out /tmp/kb-1000   (writes YAML files)
In code: `generate(1000)` returns an in-memory KnowledgeBase (the sample's 61 articles and
offices, then generated articles up to the count), deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
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
    """Write a KB as YAML files (articles and offices) into `out`."""
    for kind, items in (("articles", kb.articles), ("offices", kb.offices)):
        (out / kind).mkdir(parents=True, exist_ok=True)
        for item_id, item in items.items():
            data = item.model_dump(mode="json", exclude_defaults=True)
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            (out / kind / f"{item_id}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    """Write a generated KB to a folder."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=115)
    args = parser.parse_args()
    kb = generate(args.count, args.seed)
    write(kb, args.out)
    print(f"{len(kb.articles)} articles, {len(kb.offices)} offices -> {args.out}")


if __name__ == "__main__":
    main()
