"""The site's pages are Jinja2 templates (`templates/`, except the admin's and the e-mails' `.txt`,
which stay Django templates): Jinja compiles a template to Python once, and renders it in about half the
time Django's engine took (a glossary term's page: 2.2 → 1.1 ms of rendering on the same context).

The environment offers what the Django templates had from their tag libraries, as functions (`url()`,
`site_url()`, `site_part()`, `static()`...) and filters (the portal's, `portal.markup` and
`initiatives.markup`, and Django's `date`, `linebreaks`...), and Django's translations: `_()` and
`ngettext()` with the catalogues' message ids (what `{% blocktranslate %}` made of its text).
"""

import functools

import jinja2
from django.template.backends import jinja2 as django_jinja2
from django.template.defaultfilters import capfirst, date, linebreaks_filter, truncatewords, urlencode
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.timezone import template_localtime
from markupsafe import Markup

from initiatives import markup as initiatives_markup
from portal import markup


class SiteTemplates(jinja2.FileSystemLoader):
    """The site's templates: the admin's templates and the plain-text e-mails are Django's."""

    def get_source(self, environment, template):
        if template.startswith("admin/") or not template.endswith(".html"):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


class Jinja2(django_jinja2.Jinja2):
    """Django's Jinja2 backend, with the site's loader and templates that know their name (for
    `assertTemplateUsed`, and the test client's `response.context`: see tests/conftest.py)."""

    def __init__(self, params):
        params = {**params, "OPTIONS": {"loader": SiteTemplates(params["DIRS"]), **params.get("OPTIONS", {})}}
        super().__init__(params)

    def from_string(self, template_code):
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name):
        template = super().get_template(template_name)
        return Template(template.template, self)


class Template(django_jinja2.Template):
    @property
    def name(self):
        return self.template.name


@functools.lru_cache(maxsize=4096)
def kept_translation(_language, message):
    """A message's translation in the active language, which `_language` names: the catalogues do not
    change while the process runs, and a page says thirty interface words or so."""
    return translation.gettext(message)


def gettext(message):
    return kept_translation(translation.get_language(), message)


def ngettext(singular, plural, number):
    return translation.ngettext(singular, plural, number)


def pgettext(context, message):
    return translation.pgettext(context, message)


def local_date(value, format=None):
    """Django's `date` filter, on the value in the current time zone as Django's templates give it."""
    return date(template_localtime(value), format)


def url(name, *args, **kwargs):
    """`{% url %}`: an address by its name, with its arguments."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def site_part(name, section=""):
    """A fixed part of every page, kept rendered per language and section (`portal.markup.kept_part`)."""
    return markup.kept_part(name, section or "", translation.get_language(), *markup.address_book())


def flattened(block):
    """A block's rendered text on one line, without tags: the Open Graph title and description repeat
    the page's `title` and `description` blocks."""
    text = str(block)
    return Markup(" ".join((strip_tags(text) if "<" in text else text).split()))


def with_context(function):
    """A tag of the portal's Django library that reads the page's variables, for Jinja."""
    return jinja2.pass_context(lambda context, *args: function(context, *args))


def environment(**options):
    # a missing variable, or an attribute of one, is empty, as in Django's templates
    options["undefined"] = jinja2.ChainableUndefined
    # a template's last newline is part of its output, as in Django's templates
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], keep_trailing_newline=True, **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext)
    env.globals.update(
        url=url,
        get_language=translation.get_language,
        site_url=markup.site_url,
        site_part=site_part,
        static=markup.static,
        flattened=flattened,
        alternate_urls=with_context(markup.alternate_urls),
        search_facets=with_context(markup.search_facets),
        comment_cards=with_context(initiatives_markup.comment_cards),
        document_blocks=initiatives_markup.document_blocks,
    )
    env.filters.update(
        capfirst=capfirst,
        date=local_date,
        linebreaks=linebreaks_filter,
        truncatewords=truncatewords,
        urlencode=urlencode,
        description=markup.description,
        rich_text=markup.rich_text,
        glossary_links=markup.glossary_links,
        paragraph_text=markup.paragraph_text,
        linked_count_rows=markup.linked_count_rows,
        initiative_cards=markup.initiative_cards,
        publication_items=markup.publication_items,
        term_entries=markup.term_entries,
        letter_items=markup.letter_items,
        search_hits=markup.search_hits,
        footnote_items=initiatives_markup.footnote_items,
    )
    return env
