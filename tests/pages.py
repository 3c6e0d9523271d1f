"""Every public page type, in both languages, for the accessibility and HTML checks."""

from glossary.models import Term
from initiatives.models import Comment, Initiative, Publication


def public_pages():
    initiative = Initiative.objects.published().filter(featured=True).first()
    publication = Publication.objects.published().exclude(kind="council-document").first()
    term = Term.objects.published().get(key="ohchr")
    comment = Comment.objects.approved().first()
    pages = []
    for language, words in {
        "es": {
            "initiatives": "iniciativas",
            "publications": "publicaciones",
            "glossary": "glosario",
            "documents": "documentos",
            "search": "buscar",
            "account": "cuenta",
            "login": "entrar",
            "comment": "comentar",
            "comments": "comentarios",
            "second-factor": "segundo-factor",
        },
        "en": {
            "initiatives": "initiatives",
            "publications": "publications",
            "glossary": "glossary",
            "documents": "documents",
            "search": "search",
            "account": "account",
            "login": "login",
            "comment": "comment",
            "comments": "comments",
            "second-factor": "second-factor",
        },
    }.items():

        def slug(item, language=language):
            return getattr(item, f"slug_{language}")

        pages += [
            f"/{language}/",
            f"/{language}/{words['initiatives']}/",
            f"/{language}/{words['initiatives']}/?theme=labour-migration&status=ongoing",
            f"/{language}/{words['initiatives']}/?year=abc",
            f"/{language}/{words['initiatives']}/{slug(initiative)}/",
            f"/{language}/{words['publications']}/",
            f"/{language}/{words['publications']}/{slug(publication)}/",
            f"/{language}/{words['glossary']}/",
            f"/{language}/{words['glossary']}/?q=IOM",
            f"/{language}/{words['glossary']}/{slug(term)}/",
            f"/{language}/{words['documents']}/mc-2353/",
            f"/{language}/{words['documents']}/mc-2353/?view=both",
            f"/{language}/{words['search']}/?q=migracion",
            f"/{language}/{words['search']}/?q=migracion&kind=paragraph&page=2",
            f"/{language}/{words['search']}/?q=OHCHR&theme=labour-migration",
            f"/{language}/{words['search']}/",
            f"/{language}/{words['account']}/{words['login']}/",
            f"/{language}/{words['account']}/{words['second-factor']}/",
            f"/{language}/{words['documents']}/mc-2353/p29/{words['comment']}/",
            f"/{language}/{words['documents']}/mc-2353/p29/{words['initiatives']}/",
            f"/{language}/no-such-page/",
        ]
        if comment:
            pages.append(f"/{language}/{words['comments']}/{comment.pk}/")
    return pages


def preview_pages():
    """Staff previews of unpublished items, in both languages (they carry the preview banner)."""
    from django.utils import translation

    drafts = [
        Initiative.objects.filter(featured=True).first(),
        Publication.objects.exclude(kind="council-document").first(),
        Term.objects.get(key="ohchr"),
    ]
    pages = []
    for item in drafts:
        type(item).objects.filter(pk=item.pk).update(state="draft")
        for language in ("es", "en"):
            with translation.override(language):
                pages.append(f"{item.get_absolute_url()}?preview")
    return pages
