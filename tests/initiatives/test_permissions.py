"""The consultation's permission matrix, by direct HTTP requests."""

import uuid

import pytest

from initiatives.services import comment_moderate, comment_submit
from portal.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(consultation, delegate_a):
    paragraph = consultation.document.paragraphs.get(number=29)
    return comment_submit(author=delegate_a, target=paragraph, body="Original text.", language="es")


def edit(client, comment, body="Changed."):
    return client.post(f"/en/account/comments/{comment.pk}/edit/", {"body": body})


def withdraw(client, comment):
    return client.post(f"/en/account/comments/{comment.pk}/withdraw/")


def test_the_author_edits_a_pending_comment_and_the_earlier_text_is_kept(client, pending, delegate_a):
    client.force_login(delegate_a)
    assert edit(client, pending).status_code == 302
    pending.refresh_from_db()
    assert pending.body == "Changed."
    assert [h.body for h in pending.history.order_by("history_date")] == ["Original text.", "Changed."]


def test_the_author_withdraws_a_pending_comment(client, pending, delegate_a):
    client.force_login(delegate_a)
    assert withdraw(client, pending).status_code == 302
    pending.refresh_from_db()
    assert pending.status == "withdrawn"


@pytest.mark.parametrize("who", ["anonymous", "delegate_a2", "delegate_b", "moderator", "editor"])
def test_nobody_else_edits_or_withdraws_it(client, pending, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for response in (edit(client, pending), withdraw(client, pending)):
        assert response.status_code in {302, 404}
        if who != "anonymous":
            assert response.status_code == 404
        else:
            assert "/login/" in response["Location"]
    pending.refresh_from_db()
    assert (pending.body, pending.status) == ("Original text.", "pending")


def test_an_approved_comment_cannot_be_edited_even_by_its_author(client, pending, delegate_a, moderator):
    comment_moderate(comment=pending, moderator=moderator, approve=True)
    client.force_login(delegate_a)
    assert edit(client, pending).status_code == 404
    assert withdraw(client, pending).status_code == 404
    pending.refresh_from_db()
    assert pending.body == "Original text."


def admin_action(client, comment, action, reason=""):
    return client.post(
        "/admin/initiatives/comment/",
        {"action": action, "_selected_action": [comment.pk], "reason": reason, "index": 0},
    )


def test_the_moderator_approves_and_the_author_is_told(client, pending, moderator):
    client.force_login(moderator)
    assert client.get("/admin/initiatives/comment/?status__exact=pending").status_code == 200
    assert admin_action(client, pending, "approve").status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.moderated_by == moderator
    mail = OutboundEmail.objects.get(to="ana@mexico.example")
    assert mail.subject == "Su comentario fue aprobado"
    assert f"/es/comentarios/{pending.pk}/" in mail.body


def test_a_rejection_needs_a_reason_that_reaches_the_author(client, pending, moderator):
    client.force_login(moderator)
    admin_action(client, pending, "reject")
    pending.refresh_from_db()
    assert pending.status == "pending"
    admin_action(client, pending, "reject", reason="Off topic.")
    pending.refresh_from_db()
    assert (pending.status, pending.moderation_reason) == ("rejected", "Off topic.")
    assert "Off topic." in OutboundEmail.objects.get().body


@pytest.mark.parametrize("who", ["editor", "delegate_a", "anonymous"])
def test_others_cannot_moderate(client, pending, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = admin_action(client, pending, "approve")
    assert response.status_code in {302, 403}
    pending.refresh_from_db()
    assert pending.status == "pending"
    listing = client.get("/admin/initiatives/comment/")
    assert listing.status_code in {302, 403}


@pytest.mark.parametrize("who", ["editor", "delegate_b", "anonymous"])
def test_others_cannot_export_the_consultation(client, pending, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(f"/admin/initiatives/consultation/{pending.consultation_id}/comments.csv")
    assert response.status_code in {302, 403}
    assert b"Original text." not in response.content


def test_the_moderator_exports_csv_and_a_printable_report(client, pending, moderator, delegate_b):
    paragraph = pending.paragraph
    comment_submit(author=delegate_b, target=paragraph, body="Peru agrees.", language="en", official_position=True)
    client.force_login(moderator)
    csv = client.get(f"/admin/initiatives/consultation/{pending.consultation_id}/comments.csv")
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert len(lines) == 3 and "Original text." in lines[1] + lines[2]
    report = client.get(f"/admin/initiatives/consultation/{pending.consultation_id}/report/?language=en")
    html = report.content.decode()
    assert "Paragraph 29" in html and "Mexico" in html and "Peru" in html and "Official position" in html
    spanish = client.get(f"/admin/initiatives/consultation/{pending.consultation_id}/report/?language=es")
    assert "Párrafo 29" in spanish.content.decode() and "México" in spanish.content.decode()


def test_the_public_sees_only_approved_comments(client, pending, moderator, delegate_b):
    paragraph = pending.paragraph
    rejected = comment_submit(author=delegate_b, target=paragraph, body="To be rejected.", language="en")
    comment_moderate(comment=rejected, moderator=moderator, approve=False, reason="No.")
    latest = "/es/documentos/mc-2353/p29/ultimos-comentarios/"
    thread = "/es/documentos/mc-2353/p29/comentar/"
    for public in (latest, thread):
        assert "Original text." not in client.get(public).content.decode()
    assert client.get(f"/es/comentarios/{pending.pk}/").status_code == 404
    comment_moderate(comment=pending, moderator=moderator, approve=True)
    for public in (latest, thread):
        html = client.get(public).content.decode()
        assert "Original text." in html and "To be rejected." not in html
    assert client.get(f"/es/comentarios/{rejected.pk}/").status_code == 404


def test_my_comments_lists_only_mine_with_status(client, pending, delegate_a, delegate_b):
    comment_submit(
        author=delegate_b, target=pending.paragraph, body="Not yours.", language="en", submission_key=uuid.uuid4()
    )
    client.force_login(delegate_a)
    html = client.get("/en/account/comments/").content.decode()
    assert "Original text." in html and "Not yours." not in html
    assert "pending moderation" in html


def test_delegates_have_no_admin(client, delegate_a):
    client.force_login(delegate_a)
    assert client.get("/admin/").status_code == 302
