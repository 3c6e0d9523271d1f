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
import jinja2.ext
import jinja2.lexer
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.backends import jinja2 as django_jinja2
from django.template.defaultfilters import capfirst, date, linebreaks_filter, truncatewords, urlencode
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.timezone import template_localtime
from markupsafe import Markup, escape

from initiatives import markup as initiatives_markup
from portal import markup


class SiteTemplates(jinja2.FileSystemLoader):
    """The site's templates: the admin's templates and the plain-text e-mails are Django's."""

    def get_source(self, environment, template):
        if template.startswith("admin/") or not template.endswith(".html"):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


class Jinja2(django_jinja2.Jinja2):
    """Django's Jinja2 backend, with the site's loader, and templates that know their name (for
    `assertTemplateUsed`, and the test client's `response.context`: see tests/conftest.py).

    A site template is compiled once for each language and set of addresses (the script prefix and the
    URLconf): an overlay of the environment per set, with `KeptLiterals`. `from_string()` and the
    extraction of messages use the environment itself, which translates when it renders."""

    def __init__(self, params):
        params = {**params, "OPTIONS": {"loader": SiteTemplates(params["DIRS"]), **params.get("OPTIONS", {})}}
        super().__init__(params)
        self.environments = {}  # {(language, script prefix, URLconf): overlay}

    def from_string(self, template_code):
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name):
        try:
            return Template(self.environment_now().get_template(template_name), self)
        except jinja2.TemplateNotFound as exc:
            raise TemplateDoesNotExist(exc.name, backend=self) from exc
        except jinja2.TemplateSyntaxError as exc:
            new = TemplateSyntaxError(exc.args)
            new.template_debug = django_jinja2.get_exception_info(exc)
            raise new from exc

    def environment_now(self):
        kept_for = (translation.get_language(), *markup.address_book())
        overlay = self.environments.get(kept_for)
        if overlay is None:
            overlay = self.env.overlay(extensions=[KeptLiterals], cache_size=400)
            overlay.kept_for = kept_for
            self.environments[kept_for] = overlay
        return overlay


class KeptLiterals(jinja2.ext.Extension):
    """`{{ _("literal") }}` and `{{ site_url("name") }}` written into the template when it is compiled,
    for its environment's language and addresses: a page says twenty to thirty interface words and
    several of the site's addresses, and each call cost some fifty times what its text does. A call with
    variables, or in a tag, is made when the page renders."""

    FOLDED = ["variable_begin", "name", "lparen", "string", "rparen", "variable_end"]

    def filter_stream(self, stream):
        tokens = list(stream)
        index = 0
        while index < len(tokens):
            call = tokens[index : index + len(self.FOLDED)]
            if [token.type for token in call] == self.FOLDED and call[1].value in ("_", "site_url"):
                yield jinja2.lexer.Token(call[0].lineno, "data", self.text(call[1].value, call[3].value))
                index += len(call)
            else:
                yield tokens[index]
                index += 1

    def text(self, function, argument):
        """What the call renders: a translation as Django's `{% translate %}` gives it (a literal's is not
        escaped), an address escaped."""
        language, _prefix, _urlconf = self.environment.kept_for
        with translation.override(language):
            if function == "_":
                return kept_translation(language, argument)
            return str(escape(markup.site_url(argument)))


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
    """A function of the page parts (`portal.markup`, `initiatives.markup`) that reads the page's
    variables, called with the template's context."""
    return jinja2.pass_context(lambda context, *args: function(context, *args))


def environment(**options):
    # a missing variable, or an attribute of one, is empty, as in Django's templates
    options["undefined"] = jinja2.ChainableUndefined
    # a template's last newline is part of its output, as in Django's templates
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], keep_trailing_newline=True, **options)
    env.install_gettext_callables(gettext, translation.ngettext, newstyle=True, pgettext=translation.pgettext)
    env.globals.update(
        url=url,
        get_language=translation.get_language,
        site_url=markup.site_url,
        site_part=site_part,
        static=markup.static,
        flattened=flattened,
        alternate_urls=with_context(markup.alternate_urls),
        search_facets=with_context(markup.search_facets),
        comment_cards=initiatives_markup.comment_cards,
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
