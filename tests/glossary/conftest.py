import pytest

from tests.factories import TermFactory


@pytest.fixture
def terms():
    """IOM (an organization), OHCHR with its second Spanish form, remittances, and a draft with an acronym."""
    iom = TermFactory(
        term_es="Organización Internacional para las Migraciones",
        acronym_es="OIM",
        term_en="International Organization for Migration",
        acronym_en="IOM",
        slug_es="oim",
        slug_en="iom",
        kind="organization",
    )
    ohchr = TermFactory(
        term_es="Alto Comisionado para los Derechos Humanos",
        acronym_es="ACNUDH",
        term_en="Office of the High Commissioner for Human Rights",
        acronym_en="OHCHR",
        slug_es="acnudh",
        slug_en="ohchr",
    )
    ohchr.variants.create(language="es", text="OACDH")
    remittances = TermFactory(term_es="Remesas", term_en="Remittances", slug_es="remesas", slug_en="remittances")
    remittances.related.add(iom)
    TermFactory(
        term_es="Término borrador",
        term_en="Draft term",
        acronym_es="BRR",
        slug_es="borrador",
        slug_en="draft-term",
        state="draft",
    )
    return {"iom": iom, "ohchr": ohchr, "remittances": remittances}
