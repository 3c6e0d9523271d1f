from datetime import timedelta

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from glossary.models import Term, Variant
from initiatives.council_document import decode, parse_council_document
from initiatives.models import (
    Consultation,
    Initiative,
    MemberState,
    Organization,
    Paragraph,
    Participation,
    Publication,
    Region,
    Theme,
)
from initiatives.services import council_document_import
from portal.rich_text import paragraphs_to_html

FIXTURES = settings.BASE_DIR / "fixtures"
COUNCIL_DOCUMENT = ("MC/2353", FIXTURES / "MC-2353.es.txt", FIXTURES / "mc-2353.en.yaml")
PUBLISHED = {"state": "published"}


def read(name):
    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))


def unique_slug(model, field, text, max_length, taken):
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, counter = base, 2
    while (field, slug) in taken or model.objects.filter(**{field: slug}).exists():
        suffix = f"-{counter}"
        slug, counter = f"{base[: max_length - len(suffix)]}{suffix}", counter + 1
    taken.add((field, slug))
    return slug


class Command(BaseCommand):
    help = "Load the seed content (fixtures/) into an empty database. Never overwrites what editors changed."

    def handle(self, *args, **options):
        present = [model for model in (Theme, Initiative, Publication, Term) if model.objects.exists()]
        if present:
            self.stdout.write("Content is already in the database; nothing was loaded.")
            return
        with transaction.atomic():
            counts = self.load()
        self.stdout.write(self.style.SUCCESS("Loaded " + ", ".join(f"{n} {what}" for what, n in counts.items()) + "."))

    def load(self):
        self.taken = set()
        terms = self.load_glossary(read("glossary.yaml"))
        themes = self.load_themes(read("themes.yaml"))
        organizations = self.load_organizations(read("organizations.yaml"), terms)
        publications = self.load_publications(read("publications.yaml"), organizations, themes)
        document = self.load_council_document()
        initiatives = self.load_initiatives(read("initiatives.yaml"), organizations, themes, publications, document)
        member_states = MemberState.objects.bulk_create(
            MemberState(country=entry["code"], member_since=entry.get("member_since"))
            for entry in read("member_states.yaml")
        )
        self.open_consultation(document)
        return {
            "glossary terms": len(terms),
            "themes": len(themes),
            "organizations": len(organizations),
            "publications": len(publications),
            "initiatives": len(initiatives),
            "document paragraphs": document.paragraphs.count(),
            "member states": len(member_states),
        }

    def slug(self, model, language, text, max_length=200):
        return unique_slug(model, f"slug_{language}", text, max_length, self.taken)

    def load_glossary(self, entries):
        terms = {}
        for entry in entries:
            terms[entry["key"]] = Term.objects.create(
                key=entry["key"],
                kind=entry["kind"],
                source=entry.get("source", ""),
                **{
                    f"{name}_{language}": value
                    for language in ("es", "en")
                    for name, value in {
                        "term": entry[f"term_{language}"],
                        "acronym": entry.get(f"acronym_{language}") or "",
                        "definition": paragraphs_to_html(entry[f"definition_{language}"]),
                        "slug": self.slug(Term, language, entry[f"term_{language}"], 160),
                    }.items()
                },
                **PUBLISHED,
            )
            Variant.objects.bulk_create(
                Variant(term=terms[entry["key"]], language=variant["language"], text=variant["text"])
                for variant in entry.get("variants") or []
            )
        for entry in entries:
            terms[entry["key"]].related.set(terms[key] for key in entry.get("related") or [])
        return terms

    def load_themes(self, entries):
        return {
            entry["key"]: Theme.objects.create(
                code=entry["key"],
                order=order,
                name_es=entry["name_es"],
                name_en=entry["name_en"],
                description_es=entry.get("description_es", ""),
                description_en=entry.get("description_en", ""),
            )
            for order, entry in enumerate(entries)
        }

    def load_organizations(self, entries, terms):
        return {
            entry["key"]: Organization.objects.create(
                code=entry["key"],
                kind=entry["kind"],
                country=entry.get("country") or "",
                glossary_term=terms.get(entry.get("glossary") or ""),
                name_es=entry["name_es"],
                name_en=entry["name_en"],
                acronym_es=entry.get("acronym_es") or "",
                acronym_en=entry.get("acronym_en") or "",
            )
            for entry in entries
        }

    def load_publications(self, entries, organizations, themes):
        publications = {}
        for entry in entries:
            symbol = entry.get("symbol") or ""
            is_council_document = entry["kind"] == Publication.Kind.COUNCIL_DOCUMENT
            slugs = {
                f"slug_{language}": symbol.lower().replace("/", "-")
                if is_council_document and symbol
                else self.slug(Publication, language, entry[f"title_{language}"])
                for language in ("es", "en")
            }
            publication = Publication.objects.create(
                kind=entry["kind"],
                year=entry.get("year"),
                languages=entry.get("languages") or [],
                authors=entry.get("authors") or "",
                isbn=entry.get("isbn") or "",
                issn=entry.get("issn") or "",
                symbol=symbol,
                url=entry.get("url") or "",
                **slugs,
                **{
                    f"{name}_{language}": value
                    for language in ("es", "en")
                    for name, value in {
                        "title": entry[f"title_{language}"],
                        "subtitle": entry.get(f"subtitle_{language}") or "",
                        "description": paragraphs_to_html(entry[f"description_{language}"]),
                    }.items()
                },
                **PUBLISHED,
            )
            publication.publishers.set(organizations[key] for key in entry.get("publishers") or [])
            publication.themes.set(themes[key] for key in entry.get("themes") or [])
            publications[entry["key"]] = publication
        return publications

    def load_council_document(self):
        symbol, text_path, translation_path = COUNCIL_DOCUMENT
        parsed = parse_council_document(decode(text_path.read_bytes()))
        translation = yaml.safe_load(translation_path.read_text(encoding="utf-8"))
        return council_document_import(symbol=symbol, language="es", parsed=parsed, translation=translation)

    def open_consultation(self, document):
        """The consultation on the seed document opens when the portal is first set up, for 90 days;
        the Secretariat sets the real dates in the admin."""
        now = timezone.now()
        Consultation.objects.create(
            document=document,
            title_es=f"Consulta de los Estados Miembros sobre el documento {document.symbol}",
            title_en=f"Member States' consultation on document {document.symbol}",
            opens_at=now,
            closes_at=now + timedelta(days=90),
        )

    def load_initiatives(self, entries, organizations, themes, publications, document):
        paragraphs = {paragraph.number: paragraph for paragraph in Paragraph.objects.filter(document=document)}
        initiatives = {}
        for entry in entries:
            initiative = Initiative.objects.create(
                countries=entry.get("countries") or [],
                start_year=entry.get("start_year"),
                end_year=entry.get("end_year"),
                status=entry.get("status") or Initiative.Status.ONGOING,
                featured=bool(entry.get("featured")),
                **{
                    f"{name}_{language}": value
                    for language in ("es", "en")
                    for name, value in {
                        "title": entry[f"title_{language}"],
                        "summary": paragraphs_to_html(entry[f"summary_{language}"]),
                        "body": paragraphs_to_html(entry.get(f"body_{language}") or ""),
                        "slug": self.slug(Initiative, language, entry[f"title_{language}"]),
                    }.items()
                },
                **PUBLISHED,
            )
            initiative.themes.set(themes[key] for key in entry.get("themes") or [])
            Participation.objects.bulk_create(
                Participation(
                    initiative=initiative, organization=organizations[item["organization"]], role=item["role"]
                )
                for item in entry.get("participations") or []
            )
            if entry.get("regions_en"):
                region, _created = Region.objects.get_or_create(
                    code=slugify(entry["regions_en"])[:80],
                    defaults={"name_es": entry["regions_es"], "name_en": entry["regions_en"]},
                )
                initiative.regions.add(region)
            initiative.source_paragraphs.set(paragraphs[number] for number in entry.get("source_paragraphs") or [])
            initiative.publications.set(publications[key] for key in entry.get("publications") or [])
            initiatives[entry["key"]] = initiative
        return initiatives
