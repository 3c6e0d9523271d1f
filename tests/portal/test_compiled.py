"""Querysets compiled to SQL once per shape (`portal.compiled`): they read what the queryset reads."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connections, models
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone, translation

from initiatives.models import Initiative
from portal import compiled
from portal.compiled import KEYS, Slot, compiled_once
from tests.factories import InitiativeFactory

SLUG = Slot("slug", models.SlugField())


@pytest.fixture
def unchecked(monkeypatch):
    """Without the suite's check, which compiles each run a second time."""
    monkeypatch.setattr(compiled, "CHECKED", False)


def slugs(queryset):
    return [row.slug for row in queryset]


@pytest.mark.django_db
def test_a_query_is_compiled_once_and_reads_each_runs_values(unchecked):
    first, second = InitiativeFactory(), InitiativeFactory()
    by_slug = Initiative.objects.published().filter(slug=SLUG)
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as as_sql:
        found = [slugs(compiled_once(by_slug, "test:by-slug", slug=row.slug)) for row in (first, second, first)]
        missing = slugs(compiled_once(by_slug, "test:by-slug", slug="no-such-slug"))
    assert found == [[first.slug], [second.slug], [first.slug]]
    assert missing == []
    assert as_sql.call_count == 1


@pytest.mark.django_db
def test_each_run_takes_the_moment_anew(unchecked):
    soon = InitiativeFactory(publish_at=timezone.now() + timedelta(hours=1))
    published = Initiative.objects.published().filter(slug=SLUG)
    assert slugs(compiled_once(published, "test:published", slug=soon.slug)) == []
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert slugs(compiled_once(published, "test:published", slug=soon.slug)) == [soon.slug]


@pytest.mark.django_db
def test_each_language_has_its_own_sql():
    initiative = InitiativeFactory(slug_es="programa", slug_en="programme")
    for language, slug in (("es", "programa"), ("en", "programme"), ("es", "programa")):
        with translation.override(language):
            by_slug = Initiative.objects.filter(slug=SLUG)  # modeltranslation: slug_es or slug_en
            assert list(compiled_once(by_slug, "test:by-translated-slug", slug=slug)) == [initiative]


@pytest.mark.django_db
def test_what_is_built_from_a_marked_queryset_compiles_as_usual():
    kept, other = InitiativeFactory(), InitiativeFactory(state="draft")
    marked = compiled_once(Initiative.objects.published(), "test:published-rows")
    assert list(marked) == [kept]
    assert list(marked.filter(pk=other.pk)) == []
    assert list(marked.model.objects.filter(pk=other.pk)) == [other]
    assert marked.count() == 1
    assert not marked.exclude(pk=kept.pk).exists()


@pytest.mark.django_db
def test_a_slot_is_filled_only_in_the_marked_queryset():
    initiative = InitiativeFactory()
    marked = compiled_once(Initiative.objects.filter(pk__any=KEYS), "test:by-keys", keys=[initiative.pk])
    assert list(marked) == [initiative]
    with pytest.raises(TypeError, match="compiled_once"):
        marked.exclude(state="draft").count()


@pytest.mark.django_db
def test_any_of_an_empty_array_is_nothing():
    InitiativeFactory()
    assert list(compiled_once(Initiative.objects.filter(pk__any=KEYS), "test:by-keys", keys=[])) == []


@pytest.mark.django_db
def test_one_name_for_two_shapes_fails_under_the_check():
    InitiativeFactory(state="published")
    list(compiled_once(Initiative.objects.filter(state="published"), "test:state"))
    with pytest.raises(AssertionError, match="names two shapes"):
        list(compiled_once(Initiative.objects.filter(state="draft"), "test:state"))


@pytest.mark.django_db
def test_a_value_with_no_slot_in_the_sql_is_refused():
    with pytest.raises(ValueError, match="slots"):
        list(compiled_once(Initiative.objects.filter(slug="fixed"), "test:no-slot", slug="other"))


@pytest.mark.django_db
def test_a_kept_compiler_runs_on_the_calling_threads_connection():
    by_slug = compiled_once(Initiative.objects.filter(slug=SLUG), "test:thread", slug="a")
    assert by_slug.query.get_compiler("default").connection is connections["default"]
    seen = []

    def other_thread():
        own = connections["default"]  # this thread's own
        seen.append(by_slug.query.get_compiler("default").connection is own)
        own.close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen == [True]


@pytest.mark.django_db
def test_the_least_recently_run_shape_is_dropped_first(unchecked, monkeypatch):
    monkeypatch.setattr(compiled, "MAX_SHAPES", 2)
    monkeypatch.setattr(compiled, "_kept", {})
    queries = {name: Initiative.objects.filter(title__startswith=name) for name in ("a", "b", "c")}

    def compilations(*names):
        with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as as_sql:
            for name in names:
                list(compiled_once(queries[name], f"test:lru-{name}"))
        return as_sql.call_count

    assert compilations("a", "b", "a") == 2
    assert compilations("c") == 1  # drops b, run before a
    assert compilations("a", "c") == 0
    assert compilations("b") == 1
