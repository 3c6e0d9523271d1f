from html import escape

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal.addresses import address_maker

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_cards(context, comments):
    """The comments as cards, with their replies indented by `depth`.

    Written in Python: the council document shows over a hundred of them, and each card has some
    fifteen values that the template engine took 170 µs to look up and escape."""
    if not comments:
        return mark_safe(f"<p>{escape(gettext('No published comments yet.'))}</p>")
    language = translation.get_language()
    can_reply = context.get("can_reply")
    permalink = address_maker("comments:detail", "pk")
    words = {
        "official": escape(gettext("Official position")),
        "reply": escape(gettext("reply")),
        "permalink": escape(gettext("Permalink")),
        "answer": escape(gettext("Reply")),
    }
    cards = []
    for comment in comments:
        key = comment.pk
        by = (
            f'<strong id="comment-{key}-by"><span lang="{language}">{escape(str(comment.member_state))}</span></strong>'
        )
        badge = (
            f'\n<span class="badge" lang="{language}">{words["official"]}</span>' if comment.official_position else ""
        )
        written = date_format(timezone.localtime(comment.created_at), "DATE_FORMAT")
        when = f'<time datetime="{comment.created_iso}">{escape(written)}</time>'
        language_name = escape(str(comment.get_language_display()))
        reply_mark = f" · {words['reply']}" if comment.parent_id else ""
        reply_link = f' · <a href="?reply_to={key}#comment-form">{words["answer"]}</a>' if can_reply else ""
        cards.append(
            f'<li class="comment depth-{comment.depth}" id="comment-{key}">\n'
            f'<article lang="{escape(comment.language)}" aria-labelledby="comment-{key}-by">\n'
            f'<header class="comment-header">\n{by}{badge}\n'
            f'<span class="meta" lang="{language}">{when} · {language_name}{reply_mark}</span>\n'
            f"</header>\n"
            f'<div class="comment-body">{linebreaks(comment.body, autoescape=True)}</div>\n'
            f'<p class="comment-links" lang="{language}"><a href="{permalink(key)}">{words["permalink"]}</a>'
            f"{reply_link}</p>\n"
            f"</article>\n"
            f"</li>"
        )
    return mark_safe('<ol class="comments">\n' + "\n".join(cards) + "\n</ol>")
