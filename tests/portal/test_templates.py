"""`{% load i18n %}` loads portal.templatetags.kept_i18n: a literal's translation is kept by its node,
per language and autoescaping, and reads as Django's own `{% translate %}` would."""

from django.template import Context, Engine, engines
from django.utils import translation

from portal.templatetags.kept_i18n import KeptTranslateNode

SOURCE = (
    "{% load i18n %}"
    '{% translate "Glossary" %}|'
    '{% translate "Sign in" as label %}{{ label }}|'
    '{% translate "Glossary" noop %}|'
    "{% translate word %}|"
    '{% translate "Glossary"|upper %}|'
    '{% translate "May" context "month name" %}|'
    "{% translate \"IOM's work on migration and development, the council document MC/2353 and member states' "
    'comments on it." %}'
)


def test_a_kept_translation_reads_as_djangos_in_every_language_and_escaping():
    portal = engines["django"].engine.from_string(SOURCE)
    django = Engine(libraries={"i18n": "django.templatetags.i18n"}).from_string(SOURCE)
    assert any(isinstance(node, KeptTranslateNode) for node in portal.nodelist)
    seen = set()
    for language in ("es", "en", "es", "en"):  # a text kept in one language is never shown in the other
        for autoescape in (True, False):
            context = {"word": "Sign in"}
            with translation.override(language):
                ours = portal.render(Context(context, autoescape=autoescape))
                theirs = django.render(Context(context, autoescape=autoescape))
            assert ours == theirs
            seen.add(ours)
    assert len(seen) == 2  # a literal is safe text: escaping leaves its translation as it is
    with translation.override("es"):
        spanish = portal.render(Context({"word": "Sign in"}))
    assert spanish.startswith("Glosario|Iniciar sesión|Glossary|Iniciar sesión|GLOSARIO|")


def test_a_description_reads_as_striptags_and_truncatechars():
    """`description` stands for `striptags|truncatechars:200` on the detail pages, without Django's HTML
    parser: for the editor's sanitised markup it gives the same text."""
    template = "{% load portal %}{{ text|description }}"
    django = "{{ text|striptags|truncatechars:200 }}"
    texts = [
        "",
        "<p>Migración &amp; desarrollo</p>",
        '<p>La <strong>OIM</strong> y el <a href="/es/">GMM</a>.</p><ul><li>uno</li><li>dos</li></ul>',
        "<p>" + "Diálogo de Alto Nivel " * 20 + "</p>",
        "x" * 200,
        "x" * 201,
        "<p>Die\u0301logo</p>",  # an accent written as a combining mark
        "<p>Die\u0301logo</p>" + "e\u0301" * 250,
    ]
    for text in texts:
        ours = engines["django"].engine.from_string(template).render(Context({"text": text}))
        theirs = engines["django"].engine.from_string(django).render(Context({"text": text}))
        assert ours == theirs, text
