import factory
from factory.django import DjangoModelFactory

from glossary.models import Term
from initiatives.models import Initiative, Organization, Participation, Publication, Region, Theme


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    code = factory.Sequence(lambda n: f"theme-{n}")
    name_es = factory.Sequence(lambda n: f"Tema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"region-{n}")
    name_es = factory.Sequence(lambda n: f"Región {n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    key = factory.Sequence(lambda n: f"term-{n}")
    term_es = factory.Sequence(lambda n: f"Término {n}")
    term_en = factory.Sequence(lambda n: f"Term {n}")
    slug_es = factory.Sequence(lambda n: f"termino-{n}")
    slug_en = factory.Sequence(lambda n: f"term-{n}")
    definition_es = "<p>Definición.</p>"
    definition_en = "<p>Definition.</p>"
    state = "published"


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"org-{n}")
    name_es = factory.Sequence(lambda n: f"Organización {n}")
    name_en = factory.Sequence(lambda n: f"Organization {n}")
    acronym_es = factory.Sequence(lambda n: f"ORG{n}")
    acronym_en = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organization.Kind.UN


class PublicationFactory(DjangoModelFactory):
    class Meta:
        model = Publication

    kind = Publication.Kind.REPORT
    title_es = factory.Sequence(lambda n: f"Informe {n}")
    title_en = factory.Sequence(lambda n: f"Report {n}")
    slug_es = factory.Sequence(lambda n: f"informe-{n}")
    slug_en = factory.Sequence(lambda n: f"report-{n}")
    description_es = "<p>Descripción.</p>"
    description_en = "<p>Description.</p>"
    year = 2012
    state = "published"


class InitiativeFactory(DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    title_es = factory.Sequence(lambda n: f"Iniciativa {n}")
    title_en = factory.Sequence(lambda n: f"Initiative {n}")
    slug_es = factory.Sequence(lambda n: f"iniciativa-{n}")
    slug_en = factory.Sequence(lambda n: f"initiative-{n}")
    summary_es = "<p>Resumen.</p>"
    summary_en = "<p>Summary.</p>"
    start_year = 2010
    state = "published"

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Participation.Role.LEAD


class CouncilDocumentFactory(PublicationFactory):
    kind = Publication.Kind.COUNCIL_DOCUMENT
    symbol = "MC/2353"
    slug_es = "mc-2353"
    slug_en = "mc-2353"
