import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django.utils.html import linebreaks

from initiatives.markup import paragraphs
from initiatives.models import Comment
from initiatives.services import comment_submit
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

PARAGRAPH_ES = "/es/documentos/mc-2353/p29/comentar/"
PARAGRAPH_EN = "/en/documents/mc-2353/p29/comment/"
LATEST_ES = "/es/documentos/mc-2353/p29/ultimos-comentarios/"
LATEST_EN = "/en/documents/mc-2353/p29/latest-comments/"


def post_comment(client, path=PARAGRAPH_EN, body="We support this recommendation.", **extra):
    data = {"body": body, "language": "en", "submission_key": str(uuid.uuid4()), **extra}
    return client.post(path, data)


def test_anonymous_visitors_are_sent_to_sign_in(client, consultation):
    response = post_comment(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/login/")
    assert not Comment.objects.exists()


def test_a_delegate_comments_and_it_waits_for_moderation(client, consultation, delegate_a):
    client.force_login(delegate_a)
    response = post_comment(client, official_position="on")
    assert response.status_code == 302
    assert response["Location"] == "/en/account/comments/"
    comment = Comment.objects.get()
    assert comment.status == "pending"
    assert comment.member_state.country.code == "MX"
    assert comment.paragraph.number == 29
    assert comment.official_position
    assert comment.consultation == consultation
    client.logout()
    for public in (LATEST_EN, PARAGRAPH_EN):  # not public before approval
        assert "We support this recommendation." not in client.get(public).content.decode()


def test_the_member_state_is_fixed_at_submission_not_chosen(client, consultation, delegate_a):
    client.force_login(delegate_a)
    post_comment(client, member_state="PE", author="999")
    assert Comment.objects.get().member_state.country.code == "MX"


def test_a_double_submission_creates_one_comment(client, consultation, delegate_a):
    client.force_login(delegate_a)
    data = {"body": "Once.", "language": "es", "submission_key": str(uuid.uuid4())}
    client.post(PARAGRAPH_ES, data)
    client.post(PARAGRAPH_ES, data)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write your comment before sending it."),
        ("   \n ", "Write your comment before sending it."),
        ("x" * 5001, "A comment can have at most 5000 characters (it has 5001)."),
    ],
)
def test_empty_and_overlong_comments_are_refused(client, consultation, delegate_a, body, message):
    client.force_login(delegate_a)
    response = post_comment(client, body=body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_messages_speak_the_users_language(client, consultation, delegate_a):
    client.force_login(delegate_a)
    response = post_comment(client, path=PARAGRAPH_ES, body="")
    assert response.status_code == 400
    assert "Escriba su comentario antes de enviarlo." in response.content.decode()
    assert "Write your comment" not in response.content.decode()


def test_comments_outside_the_consultation_dates_are_refused(client, consultation, delegate_a):
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.opens_at = timezone.now() - timedelta(days=5)
    consultation.save()
    client.force_login(delegate_a)
    response = post_comment(client)
    assert response.status_code == 403
    assert "none is open now" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_before_the_consultation_opens_are_refused(client, consultation, delegate_a):
    consultation.opens_at = timezone.now() + timedelta(days=1)
    consultation.save()
    client.force_login(delegate_a)
    assert post_comment(client).status_code == 403
    assert not Comment.objects.exists()


def test_commenting_on_something_missing_or_unpublished_is_refused(client, consultation, delegate_a):
    InitiativeFactory(slug_en="draft", state="draft")
    client.force_login(delegate_a)
    assert post_comment(client, path="/en/documents/mc-2353/p99/comment/").status_code == 404
    assert post_comment(client, path="/en/initiatives/draft/comment/").status_code == 404
    assert post_comment(client, path="/en/initiatives/nothing/comment/").status_code == 404
    assert not Comment.objects.exists()


def test_a_user_who_is_not_a_delegate_cannot_comment(client, consultation, editor):
    client.force_login(editor)
    response = post_comment(client)
    assert response.status_code == 403
    assert "Only delegates of member states can comment." in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_on_initiatives_and_publications(client, consultation, delegate_a, initiative):
    client.force_login(delegate_a)
    assert post_comment(client, path="/en/initiatives/profiles/comment/").status_code == 302
    assert Comment.objects.get().initiative == initiative


def test_forms_are_protected_against_cross_site_requests(consultation, delegate_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(delegate_a)
    assert post_comment(client).status_code == 403
    assert not Comment.objects.exists()


def approve(comment, moderator):
    from initiatives.services import comment_moderate

    return comment_moderate(comment=comment, moderator=moderator, approve=True)


def test_published_comments_show_state_date_language_and_escape_html(client, consultation, delegate_a, moderator):
    client.force_login(delegate_a)
    post_comment(client, body='<script>alert("x")</script> <b>bold</b>')
    approve(Comment.objects.get(), moderator)
    client.logout()
    html = client.get(LATEST_EN).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "Mexico" in html
    assert "1 published comment" in client.get("/en/documents/mc-2353/").content.decode()
    comment = Comment.objects.get()
    permalink = client.get(f"/en/comments/{comment.pk}/")
    assert permalink.status_code == 200
    assert '<article lang="en"' in permalink.content.decode()


@pytest.mark.parametrize(
    "body", ["One line", "First\nsecond line", "Para one\r\n\r\nPara two\n\n\nthree <i>&</i> 'quoted'", ""]
)
def test_comment_cards_write_the_body_as_the_linebreaks_filter_does(body):
    assert paragraphs(body) == linebreaks(body, autoescape=True)


def test_comment_cards_date_the_comment_in_the_page_language(client, consultation, delegate_a, moderator):
    client.force_login(delegate_a)
    post_comment(client, body="Dated.")
    comment = Comment.objects.get()
    approve(comment, moderator)
    Comment.objects.filter(pk=comment.pk).update(created_at=datetime(2013, 10, 3, 12, tzinfo=UTC))
    client.logout()
    assert '<time datetime="2013-10-03T12:00:00+00:00">Oct. 3, 2013</time>' in client.get(LATEST_EN).content.decode()
    assert (
        '<time datetime="2013-10-03T12:00:00+00:00">3 de octubre de 2013</time>'
        in client.get(LATEST_ES).content.decode()
    )


def test_anyone_reads_a_paragraphs_comments_and_is_offered_to_sign_in(client, consultation, delegate_a, moderator):
    client.force_login(delegate_a)
    post_comment(client, body="Read by anyone.")
    approve(Comment.objects.get(), moderator)
    client.logout()
    response = client.get(PARAGRAPH_EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Read by anyone." in html and "Mexico" in html
    assert f'href="/en/account/login/?next={PARAGRAPH_EN}"' in html
    assert "<form" not in html.split('id="comment-form"')[1]  # no form, no token: the page is shared
    assert response["X-Portal-Cache"] == "miss"
    assert client.get(PARAGRAPH_EN)["X-Portal-Cache"] == "hit"
    spanish = client.get(PARAGRAPH_ES).content.decode()
    assert ("Read by anyone." in spanish and "Inicie sesión" not in spanish) or "Iniciar sesión" in spanish


def test_a_paragraphs_latest_comments_are_its_three_newest_approved_ones(
    client, consultation, delegate_a, delegate_b, moderator, django_assert_max_num_queries
):
    paragraph = consultation.document.paragraphs.get(number=29)
    for day in range(1, 6):
        comment = comment_submit(author=delegate_a, target=paragraph, body=f"Day {day}.", language="en")
        approve(comment, moderator)
        Comment.objects.filter(pk=comment.pk).update(created_at=datetime(2013, 3, day, tzinfo=UTC))
    comment_submit(author=delegate_b, target=paragraph, body="Still pending.", language="en")
    with django_assert_max_num_queries(3):  # the paragraph, its comments, and the page cache's clock
        response = client.get(LATEST_EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert [f"Day {day}." for day in (5, 4, 3)] == re.findall(r"Day \d\.", html)
    assert "Still pending." not in html
    assert "<html" not in html  # a part of the document's page


@pytest.mark.parametrize(
    "path",
    [
        "/en/documents/mc-2353/p999/latest-comments/",  # no such paragraph
        "/en/documents/no-such-document/p29/latest-comments/",
    ],
)
def test_latest_comments_of_nothing_are_not_found(client, consultation, path):
    assert client.get(path).status_code == 404


def test_latest_comments_of_an_unpublished_document_are_not_found(client, consultation, delegate_a, moderator):
    paragraph = consultation.document.paragraphs.get(number=29)
    comment = comment_submit(author=delegate_a, target=paragraph, body="Hidden with its document.", language="en")
    approve(comment, moderator)
    type(consultation.document).objects.filter(pk=consultation.document.pk).update(state="draft")
    assert client.get(LATEST_EN).status_code == 404


def test_the_document_links_each_paragraphs_latest_comments(client, consultation, delegate_a, moderator):
    paragraph = consultation.document.paragraphs.get(number=29)
    comment = comment_submit(author=delegate_a, target=paragraph, body="Not in the document's page.", language="en")
    approve(comment, moderator)
    for path, latest, thread, everything in [
        ("/en/documents/mc-2353/", LATEST_EN, PARAGRAPH_EN, "The comment on this paragraph"),
        ("/es/documentos/mc-2353/", LATEST_ES, PARAGRAPH_ES, "El comentario sobre este párrafo"),
    ]:
        html = client.get(path).content.decode()
        section = html.split('id="p29"')[1].split("</section>")[0]
        assert f'<details class="paragraph-comments" data-load="{latest}">' in section
        assert f'<a href="{thread}">{everything}</a>' in section
        assert "Not in the document's page." not in html
        assert "paragraph-comments" not in html.split('id="p28"')[1].split("</section>")[0]  # no comments, none
        assert "/static/portal/js/disclosures." in html


def test_replies_form_a_thread(client, consultation, delegate_a, delegate_b, moderator):
    client.force_login(delegate_a)
    post_comment(client, body="First.")
    first = Comment.objects.get()
    approve(first, moderator)
    client.force_login(delegate_b)
    response = post_comment(client, body="Reply from Peru.", parent=str(first.pk))
    assert response.status_code == 302
    reply = Comment.objects.get(parent=first)
    approve(reply, moderator)
    page = client.get(PARAGRAPH_EN).content.decode()
    assert page.index("First.") < page.index("Reply from Peru.")
    assert "depth-1" in page


def test_a_reply_to_an_unpublished_comment_is_refused(client, consultation, delegate_a, delegate_b):
    client.force_login(delegate_a)
    post_comment(client, body="Pending.")
    client.force_login(delegate_b)
    post_comment(client, body="Reply.", parent=str(Comment.objects.get().pk))
    assert Comment.objects.filter(parent__isnull=False).count() == 0


def test_a_thread_reads_the_same_in_one_query_or_level_by_level(
    monkeypatch, consultation, delegate_a, delegate_b, moderator, django_assert_num_queries
):
    """A target with few comments is read in one query and threaded in Python; past `READ_WHOLE`, one
    query per level. Both give the same threads, replies three levels deep at most, and only public
    comments."""
    from initiatives import comment_views
    from initiatives.services import comment_moderate, comment_submit

    target = InitiativeFactory()

    def comment(author, body, parent=None, approve=True):
        made = comment_submit(author=author, target=target, body=body, language="en", parent=parent)
        return comment_moderate(comment=made, moderator=moderator, approve=approve, reason="" if approve else "No.")

    first, second = comment(delegate_a, "First."), comment(delegate_b, "Second.")
    level_1 = comment(delegate_b, "Reply.", first)
    level_2 = comment(delegate_a, "Reply to the reply.", level_1)
    level_3 = comment(delegate_b, "Third level.", level_2)
    comment(delegate_a, "Fourth level.", level_3)
    rejected = comment(delegate_a, "Rejected.", second, approve=False)
    assert rejected.status == Comment.Status.REJECTED
    expected = [(first.pk, 0), (level_1.pk, 1), (level_2.pk, 2), (level_3.pk, 3), (second.pk, 0)]

    with django_assert_num_queries(1):
        ordered, page = comment_views.thread_of(target)
    assert [(shown.pk, shown.depth) for shown in ordered] == expected
    assert page.paginator.count == 2
    monkeypatch.setattr(comment_views, "READ_WHOLE", 3)
    ordered, page = comment_views.thread_of(target)
    assert [(shown.pk, shown.depth) for shown in ordered] == expected
    assert page.paginator.count == 2


def test_a_replys_page_links_to_its_parent_only_while_the_parent_is_public(
    client, consultation, delegate_a, delegate_b, moderator
):
    from initiatives.services import comment_moderate
    from portal.page_cache import bump_content_generation

    target = InitiativeFactory()
    first = comment_submit(author=delegate_a, target=target, body="First.", language="en")
    first = comment_moderate(comment=first, moderator=moderator, approve=True)
    reply = comment_submit(author=delegate_b, target=target, body="A reply.", language="en", parent=first)
    reply = comment_moderate(comment=reply, moderator=moderator, approve=True)

    html = client.get(reply.get_absolute_url()).content.decode()
    assert "En respuesta a" in html and f'href="{first.get_absolute_url()}"' in html
    Comment.objects.filter(pk=first.pk).update(status=Comment.Status.WITHDRAWN)
    bump_content_generation()  # as the admin's actions do: no cached copy of the page is kept
    html = client.get(reply.get_absolute_url()).content.decode()
    assert "A reply." in html
    assert "En respuesta a" not in html and f'href="{first.get_absolute_url()}"' not in html
