"""The portal's template library: a literal's translation is kept by its node (`{% load i18n portal %}`),
per language and autoescaping, and reads as Django's own `{% translate %}` would; a static file's address
is kept as Django's `{% static %}` gives it; a page's description; the council document's notes."""

from collections import namedtuple

from django.conf import settings
from django.template import Context, Engine, engines
from django.templatetags.i18n import TranslateNode
from django.utils import translation

from portal.templatetags.portal import KeptTranslateNode

SOURCE = (
    "{% load i18n portal %}"
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
    django = Engine(libraries={"i18n": "django.templatetags.i18n"}).from_string(SOURCE.replace(" portal", "", 1))
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


def test_a_kept_static_address_reads_as_djangos_and_follows_a_new_storage(settings):
    source = "{% load static portal %}{% static 'portal/css/portal.css' %}|"
    source += "{% static 'portal/favicon.svg' as icon %}{{ icon }}"
    portal = engines["django"].engine.from_string(source)
    django = Engine(libraries={"static": "django.templatetags.static"}).from_string(source.replace(" portal", "", 1))
    assert portal.render(Context()) == django.render(Context())
    assert portal.render(Context()).startswith(settings.STATIC_URL)
    settings.STATIC_URL = "/elsewhere/"  # a new storage: the addresses kept for the old one are not used
    assert portal.render(Context()) == django.render(Context())
    assert portal.render(Context()).startswith("/elsewhere/portal/css/portal.")


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


def test_the_sites_templates_translate_with_kept_nodes():
    """Every page template loads the portal's library after i18n, so its literal translations are kept
    (the admin's and the e-mails' templates are left to Django's tag)."""
    folder = settings.BASE_DIR / "templates"
    names = [
        str(path.relative_to(folder)) for path in folder.rglob("*.html") if path.relative_to(folder).parts[0] != "admin"
    ]
    checked = 0
    for name in names:
        nodes = engines["django"].get_template(name).template.nodelist.get_nodes_by_type(TranslateNode)
        assert all(isinstance(node, KeptTranslateNode) for node in nodes), name
        checked += bool(nodes)
    assert checked > 20


def test_the_documents_notes_read_as_the_template_loop_gave_them():
    """`footnote_items` stands for the council document's loop over its notes (kept here as it was):
    the same markup in both languages, on one column and side by side, with markup in a note escaped."""
    loop = (
        "{% load i18n l10n %}{% localize off %}{% for note in footnotes %}\n"
        '    <li id="{{ note.anchor }}" value="{{ note.number }}">\n'
        '      {% if side_by_side %}<span lang="es">{{ note.text_es }}</span> <span lang="en">{{ note.text_en }}</span>'
        "{% else %}{{ note.text }}{% endif %}\n"
        '      <a href="#fnref{{ note.number }}" aria-label="{% blocktranslate with number=note.number %}Back to the '
        'reference of note {{ number }}{% endblocktranslate %}">↩</a>\n'
        "    </li>\n    {% endfor %}{% endlocalize %}"
    )
    ours = "{% load consultation %}{{ footnotes|footnote_items:side_by_side }}"
    Note = namedtuple("Note", "number text text_es text_en anchor")
    footnotes = [
        Note(1, "Véase A/68/190.", "Véase A/68/190.", "See A/68/190.", "fn1"),
        Note(12, 'OIM <b>"2012"</b> & más', 'OIM <b>"2012"</b> & más', "IOM's <i>2012</i>", "fn12"),
    ]
    engine = engines["django"].engine
    for language in ("es", "en"):
        for side_by_side in (False, True):
            context = {"footnotes": footnotes, "side_by_side": side_by_side}
            with translation.override(language):
                expected = engine.from_string(loop).render(Context(context))
                assert engine.from_string(ours).render(Context(context)) == expected
    assert "&lt;b&gt;&quot;2012&quot;&lt;/b&gt; &amp; más" in expected
