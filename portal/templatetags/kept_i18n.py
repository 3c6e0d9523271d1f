"""Django's i18n template library, with each `{% translate "literal" %}` kept once translated: the
template engine loads this library for `{% load i18n %}` (the "libraries" option in settings.TEMPLATES).

A page says thirty interface words or so, and each `{% translate %}` cost about 10 µs: a lazy
translation made, resolved through the language's context-local, localized and escaped, every time.
A literal's text depends only on the language and on autoescaping: the catalogues do not change while
the process runs, and the cached template loader keeps the node, so the node keeps the text. A variable,
a filter or a message context is translated as Django does."""

from django import template
from django.template.base import Variable
from django.templatetags import i18n
from django.utils import translation

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class KeptTranslateNode(i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        message = self.filter_expression.var
        self.literal = (
            isinstance(message, Variable)
            and message.literal is not None
            and not self.filter_expression.filters
            and message_context is None
        )
        self.kept = {}  # {(language, autoescape): text}

    def render(self, context):
        if not self.literal:
            return super().render(context)
        key = (translation.get_language(), context.autoescape)
        text = self.kept.get(key)
        if text is None:
            text = self.kept[key] = self.translated(context)
        if self.asvar:
            context[self.asvar] = text
            return ""
        return text

    def translated(self, context):
        text = super().render(context)
        return context[self.asvar] if self.asvar else text


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return KeptTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
