import pytest
from django.template.defaultfilters import striptags, truncatewords
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import escape

from portal.addresses import address, addresses
from portal.rich_text import clean_html, excerpt


@pytest.mark.parametrize("language", ["es", "en"])
def test_addresses_are_what_reverse_gives_in_each_language(language):
    with translation.override(language):
        term_address = addresses("glossary:detail", "slug")
        thread = addresses("comments:paragraph", "key", slug="mc-2353")
        for slug in ["oim", "migracion-laboral", "a-b-424242"]:
            expected = reverse("glossary:detail", kwargs={"slug": slug})
            assert term_address(slug) == address("glossary:detail", "slug", slug) == expected
        assert thread(29) == reverse("comments:paragraph", kwargs={"key": 29, "slug": "mc-2353"})
        assert addresses("comments:detail", "pk")(7) == reverse("comments:detail", kwargs={"pk": 7})


def test_an_empty_value_fails_as_reverse_fails():
    with pytest.raises(NoReverseMatch):
        addresses("glossary:detail", "slug")("")


@pytest.mark.parametrize(
    "html",
    [
        "<p>Uno <strong>dos</strong> tres</p>",
        "<p>" + " ".join(f"w{n}" for n in range(45)) + "</p>",
        "<p>Caf&eacute; &amp; t&eacute;</p><script>alert(1)</script><p>" + "x " * 40 + "</p>",
        "<p>" + " ".join(["…"] * 31) + "</p>",
        "",
    ],
)
def test_excerpt_is_what_the_template_filters_give(html):
    # the excerpt is plain text, escaped where it is shown; the filters give HTML
    assert escape(excerpt(html, 30)) == truncatewords(striptags(clean_html(html)), 30)
