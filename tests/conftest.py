import pytest
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def reset_language():
    """Each test starts in the default language and leaves no language behind."""
    translation.activate("es")
    yield
    translation.deactivate()


@pytest.fixture
def seed_content(db):
    """The portal's real content, as `make run` loads it."""
    call_command("load_content", verbosity=0)
