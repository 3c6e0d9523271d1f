"""`make backup` and `make restore` round-trip the database and the uploaded files."""

import pytest
from django.core.management import call_command

from initiatives.models import Comment, Initiative, Publication
from portal.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


def content():
    return {
        "initiatives": sorted(Initiative.objects.values_list("slug_es", "title_es", "title_en", "state")),
        "publications": sorted(Publication.objects.values_list("slug_es", "title_en", "file")),
        "comments": sorted(Comment.objects.values_list("pk", "body", "status", "member_state__country")),
        "mail": sorted(OutboundEmail.objects.values_list("to", "subject")),
    }


def test_backup_and_restore_round_trip_database_and_uploads(site_with_a_conversation, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = settings.MEDIA_ROOT / "publications" / "handbook.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 the handbook")
    Publication.objects.filter(pk=Publication.objects.first().pk).update(file="publications/handbook.pdf")
    before = content()
    assert before["comments"], "the fixture has comments to lose"

    call_command("backup", directory=str(tmp_path / "backups"))
    archive = capsys.readouterr().out.strip()
    assert archive.endswith(".tar.gz") and "portal-20" in archive

    # everything changes after the backup ...
    Comment.objects.all().delete()
    Initiative.objects.update(title_en="Overwritten")
    upload.write_bytes(b"%PDF-1.4 overwritten")
    (settings.MEDIA_ROOT / "stray.pdf").write_bytes(b"%PDF-1.4 stray")

    call_command("restore", archive)

    # ... and the restore brings back exactly what was backed up
    assert content() == before
    assert upload.read_bytes() == b"%PDF-1.4 the handbook"
    assert not (settings.MEDIA_ROOT / "stray.pdf").exists()
    # the portal keeps working on the restored database: new rows get fresh keys
    assert Comment.objects.create(**_comment_like(Comment.objects.first())).pk > max(c[0] for c in before["comments"])


def _comment_like(comment):
    return {
        "author": comment.author,
        "member_state": comment.member_state,
        "consultation": comment.consultation,
        "paragraph": comment.paragraph,
        "initiative": comment.initiative,
        "publication": comment.publication,
        "language": comment.language,
        "body": "After the restore.",
    }


def test_restore_refuses_a_missing_archive(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"))
