"""Maps and charts drawn on the server as SVG with pygal: no script, font or tile from elsewhere.

Each chart comes with the numbers it draws (`rows`), which the templates show as a table: the
accessible version, and the fallback without SVG.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pygal
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries
from pygal.style import Style
from pygal_maps_world.maps import World

from initiatives.countries import names_by_code
from initiatives.models import Initiative, Theme

INLINE_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#4a5560",
    colors=("#0b3d91", "#b3541e", "#2c6e3f"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    title_font_size=16,
    tooltip_font_size=13,
)


class LightWorld(World):
    """pygal's world map with simplified outlines (scripts/simplify_world_map.py): 71 KB gzipped, not 270."""

    svg_map = (Path(__file__).parent / "maps" / "world.svg").read_text()


@dataclass
class Chart:
    title: str
    description: str
    svg: str
    rows: list  # (label, count, url)


def clean_svg(svg):
    """pygal adds a configuration script for its tooltips; the portal runs no inline script."""
    return INLINE_SCRIPT.sub("", svg)


def link(url):
    return {"href": url, "target": "_top"}


def initiatives_per_country(initiatives):
    """{country code: number of initiatives}, from one query."""
    counter = Counter()
    for value in initiatives.order_by().values_list("countries", flat=True):
        counter.update(code for code in value.split(",") if code)
    return counter


def published_per_country():
    """`initiatives_per_country` of everything published, computed once per content generation."""
    from portal.page_cache import kept_per_generation

    return kept_per_generation("per-country", lambda: initiatives_per_country(Initiative.objects.published()))


def published_country_table():
    """The rows of the list pages' table of initiatives per country (`country_rows` of everything
    published) as markup (`linked_count_rows`), in the page's language, kept per content generation:
    every list page shows the same table of some 150 rows, and writing them out cost a tenth of it."""
    from portal.markup import linked_count_rows
    from portal.page_cache import kept_per_generation

    return kept_per_generation(
        f"country-table:{get_language()}", lambda: linked_count_rows(country_rows(published_per_country()))
    )


def country_rows(counts):
    """(country name, number, address of the list filtered to it), the most first, then by name."""
    list_url = reverse("initiatives:list")
    names = names_by_code(get_language())
    rows = [(str(names.get(code, code)), count, f"{list_url}?country={code}") for code, count in counts.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def world_map_svg(counts):
    """The map of initiatives per country, rendered once per language and set of numbers."""
    language = get_language()
    fingerprint = hashlib.sha1(repr(sorted(counts.items())).encode()).hexdigest()
    key = f"initiatives:world-map:{language}:{fingerprint}"
    svg = cache.get(key)
    if svg is None:
        world = LightWorld(
            style=STYLE,
            js=[],
            show_legend=False,
            disable_xml_declaration=True,
            title=_("Initiatives by country"),
            print_values=False,
            tooltip_border_radius=4,
        )
        list_url = reverse("initiatives:list")
        names = dict(countries)
        world.add(
            _("Initiatives"),
            [
                {
                    "value": (code.lower(), count),
                    "label": str(names.get(code, code)),
                    "xlink": link(f"{list_url}?country={code}"),
                }
                for code, count in sorted(counts.items())
            ],
        )
        svg = clean_svg(world.render(is_unicode=True))
        cache.set(key, svg, 60 * 60 * 24)
    return svg


def bar_chart(chart_class, title, description, rows, **options):
    horizontal = chart_class is pygal.HorizontalBar
    chart = chart_class(
        style=STYLE,
        js=[],
        show_legend=False,
        disable_xml_declaration=True,
        title=title,
        print_values=False,
        width=800,
        height=max(260, 30 * len(rows) + 90) if horizontal else 380,
        **options,
    )
    chart.x_labels = [label for label, _count, _url in rows]
    chart.add(_("Initiatives"), [{"value": count, "xlink": link(url)} for _label, count, url in rows])
    return Chart(title, description, clean_svg(chart.render(is_unicode=True)), rows)


def themes_chart(initiatives):
    list_url = reverse("initiatives:list")
    themes = Theme.objects.annotate(
        count=Count("initiatives", filter=Q(initiatives__in=initiatives.values("pk")), distinct=True)
    )
    rows = [(theme.name, theme.count, f"{list_url}?theme={theme.code}") for theme in themes]
    return bar_chart(
        pygal.HorizontalBar,
        _("Initiatives by theme"),
        _("Number of published initiatives in each area of work; each bar leads to its list."),
        rows,
    )


def active_years(spans):
    """{year: initiatives active that year}, as the year filter counts them (open ends run on)."""
    known = [year for span in spans for year in span if year]
    if not known:
        return {}
    first, last = min(known), max(known)
    return {
        year: sum(
            1
            for start, end in spans
            if (start or end) and (start is None or start <= year) and (end is None or end >= year)
        )
        for year in range(first, last + 1)
    }


def years_chart(initiatives):
    list_url = reverse("initiatives:list")
    spans = list(initiatives.order_by().values_list("start_year", "end_year"))
    rows = [(str(year), count, f"{list_url}?year={year}") for year, count in active_years(spans).items()]
    return bar_chart(
        pygal.Bar,
        _("Initiatives by year"),
        _("Number of published initiatives active each year; each bar leads to that year's list."),
        rows,
        x_label_rotation=-45,
    )


def initiative_charts():
    """The home page's charts, drawn once per content generation and language."""
    from portal.page_cache import kept_per_generation

    def draw():
        published = Initiative.objects.published()
        return {"themes": themes_chart(published), "years": years_chart(published)}

    return kept_per_generation(f"charts:{get_language()}", draw)


def consultation_numbers(consultation):
    """The consultation's figures for the Secretariat: {name: (title, label header, rows)}."""
    from initiatives.models import Comment, MemberState

    comments = consultation.comments.exclude(status=Comment.Status.WITHDRAWN)
    by_paragraph = (
        comments.filter(paragraph__isnull=False)
        .values("paragraph__number")
        .annotate(count=Count("pk"))
        .order_by("paragraph__number")
    )
    by_state = comments.values("member_state__country").annotate(count=Count("pk")).order_by("-count")
    by_week = (
        comments.annotate(week=TruncWeek("created_at")).values("week").annotate(count=Count("pk")).order_by("week")
    )
    by_status = comments.values("status").annotate(count=Count("pk")).order_by("status")
    names = dict(countries)
    statuses = dict(Comment.Status.choices)
    taking_part = {row["member_state__country"] for row in by_state}
    silent = [
        str(names.get(state.country.code, state.country.code))
        for state in MemberState.objects.exclude(country__in=taking_part)
    ]
    return {
        "paragraphs": (
            _("Comments per paragraph"),
            _("Paragraph"),
            [(str(row["paragraph__number"]), row["count"]) for row in by_paragraph],
        ),
        "states": (
            _("Comments per member state"),
            _("Member state"),
            [(str(names.get(row["member_state__country"], "")), row["count"]) for row in by_state],
        ),
        "weeks": (
            _("Comments per week"),
            _("Week of"),
            [(date_format(row["week"], "SHORT_DATE_FORMAT"), row["count"]) for row in by_week],
        ),
        "status": (
            _("Comments by status"),
            _("Status"),
            [(str(statuses[row["status"]]), row["count"]) for row in by_status],
        ),
        "silent": (
            _("Member states that have not taken part yet"),
            _("Member state"),
            [(name, 0) for name in sorted(silent)],
        ),
    }


def dashboard_chart(title, rows, horizontal=False):
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = chart_class(
        style=STYLE,
        js=[],
        show_legend=False,
        disable_xml_declaration=True,
        title=title,
        width=800,
        height=max(300, 24 * len(rows) + 100) if horizontal else 360,
    )
    chart.x_labels = [label for label, _count in rows]
    chart.add(_("Comments"), [count for _label, count in rows])
    return clean_svg(chart.render(is_unicode=True))
