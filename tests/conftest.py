from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.core.management import call_command
from django.test.signals import template_rendered
from django.utils import timezone, translation

from glossary import linking
from initiatives.models import Consultation, Delegate, MemberState, Paragraph
from portal import compiled, jinja
from portal.roles import install_roles
from tests.factories import CouncilDocumentFactory, InitiativeFactory


@pytest.fixture(autouse=True)
def reset_language():
    """Each test starts in the default language and leaves no language behind."""
    translation.activate("es")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached tables (the glossary's link table) outlive a test's rolled-back rows: start each test clean."""
    cache.clear()
    linking.forget_this_process_copy()
    yield
    cache.clear()
    linking.forget_this_process_copy()


@pytest.fixture
def seed_content(db):
    """The portal's real content, as `make run` loads it."""
    call_command("load_content", verbosity=0)


@pytest.fixture
def document(db):
    document = CouncilDocumentFactory()
    for number in (28, 29, 30):
        Paragraph.objects.create(
            document=document, number=number, text_es=f"Texto del párrafo {number}.", text_en=f"Paragraph {number}."
        )
    return document


@pytest.fixture
def consultation(document):
    now = timezone.now()
    return Consultation.objects.create(
        document=document,
        title_es="Consulta",
        title_en="Consultation",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )


def make_delegate(email, country):
    state, _created = MemberState.objects.get_or_create(country=country)
    user = User.objects.create_user(username=email, email=email, password="a-long-delegate-passphrase")
    Delegate.objects.create(user=user, member_state=state)
    return user


@pytest.fixture
def delegate_a(db):
    return make_delegate("ana@mexico.example", "MX")


@pytest.fixture
def delegate_a2(db):
    return make_delegate("luis@mexico.example", "MX")


@pytest.fixture
def delegate_b(db):
    return make_delegate("pia@peru.example", "PE")


def make_staff(name, group):
    install_roles(Group, Permission)  # transactional tests flush the groups the migration made
    user = User.objects.create_user(username=name, email=f"{name}@iom.example", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def moderator(db):
    return make_staff("moderator", "moderator")


@pytest.fixture
def editor(db):
    return make_staff("editor", "editor")


@pytest.fixture
def translator(db):
    return make_staff("translator", "translator")


@pytest.fixture
def publisher(db):
    return make_staff("publisher", "publisher")


@pytest.fixture
def initiative(db):
    return InitiativeFactory(slug_es="perfiles", slug_en="profiles")


@pytest.fixture
def site_with_a_conversation(seed_content, delegate_a, moderator):
    """The seed content, with one approved comment and a signed-in delegate's point of view."""
    from initiatives.models import Paragraph
    from initiatives.services import comment_moderate, comment_submit

    paragraph = Paragraph.objects.get(document__symbol="MC/2353", number=29)
    comment = comment_submit(
        author=delegate_a, target=paragraph, body="México apoya esta recomendación.", language="es"
    )
    comment_moderate(comment=comment, moderator=moderator, approve=True)
    return comment


@pytest.fixture(autouse=True, scope="session")
def checked_compilation():
    """Every query compiled once is also compiled as usual, and must come out the same (`portal.compiled`)."""
    compiled.CHECKED = True
    yield
    compiled.CHECKED = False


@pytest.fixture(autouse=True, scope="session")
def jinja_pages_report_their_context():
    """The test client's `response.context` and `response.templates` for the site's Jinja2 pages, as
    Django's test environment gives them for its own engine, which alone it instruments: a page's
    template reports its context (the view's variables, the request and the context processors')."""
    render = jinja.Template.render

    def reported(self, context=None, request=None):
        context = {} if context is None else context
        try:
            return render(self, context, request)
        finally:
            template_rendered.send(sender=self, template=self, context=context)

    jinja.Template.render = reported
    yield
    jinja.Template.render = render
