"""A large, realistic dataset beside the seed content, for the benchmark and the query-budget checks.

Texts are built from the council document's own sentences, in both languages, so that search,
glossary links and page sizes behave as they would with real content.
"""

import random
import re
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from glossary.models import Term
from initiatives.models import (
    Comment,
    Consultation,
    Delegate,
    Initiative,
    MemberState,
    Organization,
    Paragraph,
    Participation,
    Publication,
    Theme,
)
from portal.page_cache import bump_content_generation

BATCH = 2000
CONSULTATION_SPAN = timedelta(days=90)
SENTENCE = re.compile(r"(?<=[.;])\s+")


class Command(BaseCommand):
    help = "Add a large generated dataset (20,000 initiatives, 100,000 comments...) to the seed content."

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=20_000)
        parser.add_argument("--publications", type=int, default=5_000)
        parser.add_argument("--terms", type=int, default=3_000)
        parser.add_argument("--delegates-per-state", type=int, default=2)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2013)

    def handle(self, *args, **options):
        if not Paragraph.objects.filter(document__symbol="MC/2353").exists():
            raise CommandError("Load the seed content first (manage.py load_content).")
        if Initiative.objects.filter(slug_en__startswith="generated-").exists():
            raise CommandError("The generated dataset is already there.")
        self.random = random.Random(options["seed"])
        self.sentences = self.seed_sentences()
        started = timezone.now()
        with transaction.atomic():
            self.themes = list(Theme.objects.all())
            self.organizations = list(Organization.objects.all())
            self.countries = [state.country.code for state in MemberState.objects.all()]
            self.generate_terms(options["terms"])
            publications = self.generate_publications(options["publications"])
            initiatives = self.generate_initiatives(options["initiatives"], publications)
            authors = self.generate_delegates(options["delegates_per_state"])
            self.generate_comments(options["comments"], authors, initiatives, publications)
        with connection.cursor() as cursor:
            # statistics for the planner, and the visibility map that lets lists read their indexes alone
            # (VACUUM cannot run in a transaction: a test's; autovacuum then sets the map in time)
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        bump_content_generation()
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(self.style.SUCCESS(f"Generated the dataset in {seconds:.0f} s."))

    def seed_sentences(self):
        sentences = {"es": [], "en": []}
        for paragraph in Paragraph.objects.filter(document__symbol="MC/2353"):
            for language in ("es", "en"):
                text = re.sub(r"\[\^\d+\]", "", getattr(paragraph, f"text_{language}"))
                sentences[language] += [s for s in SENTENCE.split(text) if len(s) > 40]
        return sentences

    def text(self, language, sentences=3):
        return " ".join(self.random.choice(self.sentences[language]) for _ in range(sentences))

    def rich(self, language, paragraphs=2):
        return "".join(f"<p>{self.text(language)}</p>" for _ in range(paragraphs))

    def batches(self, total, description, build):
        with tqdm(total=total, desc=description, unit=" rows") as bar:
            for start in range(0, total, BATCH):
                size = min(BATCH, total - start)
                yield [build(start + index) for index in range(size)]
                bar.update(size)

    def generate_terms(self, total):
        for batch in self.batches(total, "Glossary terms", self.term):
            Term.objects.bulk_create(batch)

    def term(self, number):
        acronym = "".join(self.random.choice("ABCDEFGHIJKLMNOPRSTUVW") for _ in range(4))
        return Term(
            key=f"generated-{number}",
            kind=self.random.choice(Term.Kind.values),
            term_es=f"Término generado {number}",
            term_en=f"Generated term {number}",
            acronym_es=f"{acronym}{number}",
            acronym_en=f"{acronym[::-1]}{number}",
            slug_es=f"termino-generado-{number}",
            slug_en=f"generated-term-{number}",
            definition_es=self.rich("es", 1),
            definition_en=self.rich("en", 1),
            state=Term.State.PUBLISHED,
        )

    def generate_publications(self, total):
        created = []
        for batch in self.batches(total, "Publications", self.publication):
            created += Publication.objects.bulk_create(batch)
        self.link(Publication.themes.through, "publication", created, "theme", self.themes, 2)
        self.link(Publication.publishers.through, "publication", created, "organization", self.organizations, 2)
        return created

    def publication(self, number):
        kind = self.random.choice(["handbook", "report", "series", "guide"])
        year = self.random.randint(1995, 2013)
        theme = self.random.choice(self.themes)
        return Publication(
            kind=kind,
            year=year,
            languages=self.random.sample(["es", "en", "fr", "ar"], k=self.random.randint(1, 3)),
            title_es=f"{theme.name_es}: estudio {number} ({year})",
            title_en=f"{theme.name_en}: study {number} ({year})",
            slug_es=f"generado-estudio-{number}",
            slug_en=f"generated-study-{number}",
            description_es=self.rich("es"),
            description_en=self.rich("en"),
            state=Publication.State.PUBLISHED,
        )

    def generate_initiatives(self, total, publications):
        created = []
        for batch in self.batches(total, "Initiatives", self.initiative):
            created += Initiative.objects.bulk_create(batch)
        self.link(Initiative.themes.through, "initiative", created, "theme", self.themes, 2)
        self.link(Initiative.publications.through, "initiative", created, "publication", publications, 1)
        paragraphs = list(Paragraph.objects.filter(document__symbol="MC/2353", number__range=(3, 27)))
        self.link(Initiative.source_paragraphs.through, "initiative", created, "paragraph", paragraphs, 1)
        roles = Participation.Role.values
        for start in tqdm(range(0, len(created), BATCH), desc="Partners", unit=" batches"):
            Participation.objects.bulk_create(
                Participation(initiative=initiative, organization=organization, role=self.random.choice(roles))
                for initiative in created[start : start + BATCH]
                for organization in self.random.sample(self.organizations, k=2)
            )
        return created

    def initiative(self, number):
        start = self.random.randint(1990, 2013)
        end = self.random.choice([None, None, start + self.random.randint(0, 6)])
        theme = self.random.choice(self.themes)
        countries = self.random.sample(self.countries, k=self.random.randint(0, 3))
        return Initiative(
            title_es=f"{theme.name_es} — programa {number}",
            title_en=f"{theme.name_en} — programme {number}",
            slug_es=f"generado-programa-{number}",
            slug_en=f"generated-programme-{number}",
            summary_es=f"<p>{self.text('es', 1)}</p>",
            summary_en=f"<p>{self.text('en', 1)}</p>",
            body_es=self.rich("es", 3),
            body_en=self.rich("en", 3),
            countries=countries,
            start_year=start,
            end_year=end,
            status=Initiative.Status.COMPLETED if end and end < 2013 else Initiative.Status.ONGOING,
            state=Initiative.State.PUBLISHED,
        )

    def link(self, through, left, items, right, choices, per_item):
        rows = [
            through(**{f"{left}_id": item.pk, f"{right}_id": choice.pk})
            for item in items
            for choice in self.random.sample(choices, k=min(per_item, len(choices)))
        ]
        through.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)

    def generate_delegates(self, per_state):
        password = make_password("generated-delegate-password")  # hashed once: hashing is slow on purpose
        states = list(MemberState.objects.all())
        users = User.objects.bulk_create(
            User(
                username=f"delegate{index}.{state.country.code.lower()}@generated.example",
                email=f"delegate{index}.{state.country.code.lower()}@generated.example",
                password=password,
            )
            for state in states
            for index in range(per_state)
        )
        Delegate.objects.bulk_create(
            Delegate(user=user, member_state=states[position // per_state]) for position, user in enumerate(users)
        )
        return [(user, states[position // per_state]) for position, user in enumerate(users)]

    def generate_comments(self, total, authors, initiatives, publications):
        consultation = Consultation.objects.filter(document__symbol="MC/2353").first()
        paragraphs = list(Paragraph.objects.filter(document__symbol="MC/2353"))
        now = timezone.now()
        statuses = [Comment.Status.APPROVED] * 6 + [Comment.Status.PENDING] * 3 + [Comment.Status.REJECTED]

        def comment(number):
            author, state = self.random.choice(authors)
            language = self.random.choice(["es", "en"])
            roll = self.random.random()
            target = (
                {"paragraph": self.random.choice(paragraphs)}
                if roll < 0.5
                else {"initiative": self.random.choice(initiatives)}
                if roll < 0.8
                else {"publication": self.random.choice(publications)}
            )
            return Comment(
                author=author,
                member_state=state,
                consultation=consultation,
                language=language,
                body=self.text(language, self.random.randint(1, 4)),
                status=self.random.choice(statuses),
                official_position=self.random.random() < 0.1,
                created_at=now - self.random.random() * CONSULTATION_SPAN,  # spread over the consultation
                **target,
            )

        for batch in self.batches(total, "Comments", comment):
            Comment.objects.bulk_create(batch)
