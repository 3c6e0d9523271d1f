"""The site's templates are Jinja2 (portal.jinja), the admin's and the e-mails' Django's; a message of a
site template is in both catalogues, and reads as Django's `{% translate %}` gave it, in the page's
language; the portal's functions and filters give what Django's tags and filters gave (`static`,
`description`, the council document's notes)."""

from collections import namedtuple

import pytest
from django.conf import settings
from django.template import Context, Engine, engines
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import trans_real

from portal import jinja
from portal.management.commands.makemessages import is_site_template, python_calls

FOLDER = settings.BASE_DIR / "templates"
SITE_TEMPLATES = sorted(
    str(path.relative_to(FOLDER)) for path in FOLDER.rglob("*.html") if path.relative_to(FOLDER).parts[0] != "admin"
)


def jinja_render(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def django_render(source, **context):
    libraries = {name: f"django.templatetags.{name}" for name in ("i18n", "l10n", "static")}
    return Engine(libraries=libraries).from_string(source).render(Context(context))


def test_the_site_templates_are_jinja_and_the_admins_and_e_mails_django():
    assert len(SITE_TEMPLATES) > 30
    for name in SITE_TEMPLATES:
        assert isinstance(get_template(name), jinja.Template), name
    for name in ("admin/base_site.html", "admin/index.html", "initiatives/email/comment_moderated.txt"):
        assert get_template(name).backend is engines["django"], name


def test_every_message_of_the_site_templates_is_in_both_catalogues():
    """The templates say Django's message ids (a `{% blocktranslate %}` text's `%(name)s`): one that the
    catalogues do not hold would show in English on the Spanish pages."""
    environment = engines["jinja2"].env
    messages = set()
    for name in SITE_TEMPLATES:
        source = (FOLDER / name).read_text()
        for _line, function, strings in environment.extract_translations(source):
            # a call's strings, a None for each argument that is not one (the count, the variables)
            messages.add((function, strings[:2] if function == "ngettext" else strings))
    assert len(messages) > 150
    for code in ("es", "en"):
        catalogue = trans_real.translation(code)._catalog
        for function, message in messages:
            if function == "ngettext":
                assert (message[0], 0) in catalogue and (message[0], 1) in catalogue, (code, message)
            else:
                assert (message[0] if isinstance(message, tuple) else message) in catalogue, (code, message)


@pytest.mark.parametrize(
    "source",
    [
        '{% translate "Glossary" %}|{% translate "Sign in" as label %}{{ label }}',
        "{% translate \"IOM's work on migration and development, the council document MC/2353 and member states' "
        'comments on it." %}',
        "{% blocktranslate with number=3 total=9 %}Page {{ number }} of {{ total }}{% endblocktranslate %}",
        "{% blocktranslate count counter=n %}{{ counter }} initiative{% plural %}{{ counter }} initiatives"
        "{% endblocktranslate %}",
    ],
)
def test_a_translation_reads_as_djangos_in_each_language(source):
    ours = (
        source.replace('{% translate "Glossary" %}', '{{ _("Glossary") }}')
        .replace('{% translate "Sign in" as label %}', '{% set label = _("Sign in") %}')
        .replace(
            "{% translate \"IOM's work on migration and development, the council document MC/2353 and member states' "
            'comments on it." %}',
            "{{ _(\"IOM's work on migration and development, the council document MC/2353 and member states' "
            'comments on it.") }}',
        )
        .replace(
            "{% blocktranslate with number=3 total=9 %}Page {{ number }} of {{ total }}{% endblocktranslate %}",
            '{{ _("Page %(number)s of %(total)s", number=3, total=9) }}',
        )
        .replace(
            "{% blocktranslate count counter=n %}{{ counter }} initiative{% plural %}{{ counter }} initiatives"
            "{% endblocktranslate %}",
            '{{ ngettext("%(counter)s initiative", "%(counter)s initiatives", n, counter=n) }}',
        )
    )
    assert ours != source
    seen = set()
    for language in ("es", "en", "es", "en"):  # a text kept in one language is never shown in the other
        for n in (1, 20067):
            with translation.override(language):
                theirs = django_render("{% load i18n %}" + source, n=n)
                assert jinja_render(ours, n=n) == theirs
            seen.add((language, theirs))
    assert len({text for _language, text in seen}) >= 2


def test_a_kept_static_address_reads_as_djangos_and_follows_a_new_storage(settings):
    source = "{% load static %}{% static 'portal/css/portal.css' %}|{% static 'portal/favicon.svg' %}"
    ours = "{{ static('portal/css/portal.css') }}|{{ static('portal/favicon.svg') }}"
    assert jinja_render(ours) == django_render(source)
    assert jinja_render(ours).startswith(settings.STATIC_URL)
    settings.STATIC_URL = "/elsewhere/"  # a new storage: the addresses kept for the old one are not used
    assert jinja_render(ours) == django_render(source)
    assert jinja_render(ours).startswith("/elsewhere/portal/css/portal.")


def test_a_description_reads_as_striptags_and_truncatechars():
    """`description` stands for `striptags|truncatechars:200` on the detail pages, without Django's HTML
    parser: for the editor's sanitised markup it gives the same text."""
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
        ours = jinja_render("{{ text|description }}", text=text)
        assert ours == django_render("{{ text|striptags|truncatechars:200 }}", text=text), text


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
    Note = namedtuple("Note", "number text text_es text_en anchor")
    footnotes = [
        Note(1, "Véase A/68/190.", "Véase A/68/190.", "See A/68/190.", "fn1"),
        Note(12, 'OIM <b>"2012"</b> & más', 'OIM <b>"2012"</b> & más', "IOM's <i>2012</i>", "fn12"),
    ]
    for language in ("es", "en"):
        for side_by_side in (False, True):
            context = {"footnotes": footnotes, "side_by_side": side_by_side}
            with translation.override(language):
                expected = django_render(loop, **context)
                assert jinja_render("{{ footnotes|footnote_items(side_by_side) }}", **context) == expected
    assert "&lt;b&gt;&quot;2012&quot;&lt;/b&gt; &amp; más" in expected


def test_make_messages_reads_a_site_templates_messages_on_their_lines():
    """`make messages` hands xgettext each Jinja message as a Python call on its template line; the
    admin's templates and the e-mails stay Django's, read by Django's own templatize."""
    source = (
        '{% block title %}{{ _("Glossary") }}{% endblock %}\n'
        '<p>{{ ngettext("%(counter)s initiative", "%(counter)s initiatives", n, counter=n) }}</p>\n'
        '{{ _("Page %(number)s of %(total)s", number=1, total=2) }}'
    )
    assert python_calls(source).splitlines() == [
        '_("Glossary"); ',
        'ngettext("%(counter)s initiative", "%(counter)s initiatives", 0, 0); ',
        '_("Page %(number)s of %(total)s", 0, 0); ',
    ]
    assert is_site_template(FOLDER / "glossary" / "term_index.html")
    assert not is_site_template(FOLDER / "admin" / "base_site.html")
    assert not is_site_template(FOLDER / "initiatives" / "email" / "comment_moderated.txt")


def test_a_site_template_is_compiled_per_language_with_its_literal_words_and_addresses(tmp_path):
    """`{{ _("literal") }}` and `{{ site_url("name") }}` are written into a template compiled for one
    language (`KeptLiterals`): the page reads as the same template translated at render time, in each
    language, alternated; a call with variables is still made when the page renders."""
    source = '{{ _("Glossary") }}|{{ site_url("glossary:index") }}|'
    source += '{{ _("Page %(number)s of %(total)s", number=1, total=2) }}'
    (tmp_path / "page.html").write_text(source)
    options = {"environment": "portal.jinja.environment"}
    backend = jinja.Jinja2({"NAME": "pages", "DIRS": [tmp_path], "APP_DIRS": False, "OPTIONS": options})
    seen = set()
    for language in ("es", "en", "es", "en"):
        with translation.override(language):
            kept = backend.get_template("page.html").render({})
            assert kept == backend.from_string(source).render({})
            seen.add(kept)
    assert seen == {"Glosario|/es/glosario/|Página 1 de 2", "Glossary|/en/glossary/|Page 1 of 2"}
    with translation.override("es"):
        code = backend.environment_now().compile(source, raw=True)
    assert "Glosario" in code and "/es/glosario/" in code and "Página" not in code
