"""One way to write sizes and speeds (mvidarr.units): decimal SI units, one decimal above
bytes; the template filters and the pages' script (units.js) follow the same rule."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from mvidarr.units import format_ago, format_bytes, format_rate
from tests.browser import signed_in_page
from tests.support import make_user

CASES = [
    (0, "0 B"),
    (999, "999 B"),
    (1000, "1.0 kB"),
    (105_164, "105.2 kB"),
    (6_600_000, "6.6 MB"),
    (6_250_000, "6.3 MB"),  # a half rounds up, as in the script
    (6_920_000_000, "6.9 GB"),
    (1_500_000_000_000, "1.5 TB"),
]


@pytest.mark.parametrize(("count", "text"), CASES)
def test_a_byte_count_is_written_in_decimal_units(count, text):
    assert format_bytes(count) == text


def test_a_speed_is_the_same_figure_per_second_and_none_is_blank():
    assert format_rate(102_700) == "102.7 kB/s"
    assert format_rate(None) == format_rate(0) == format_bytes(None) == ""


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "just now"),
        (59, "just now"),
        (60, "1 min ago"),
        (3599, "59 min ago"),
        (3600, "1 h ago"),
        (86_399, "23 h ago"),
        (86_400, "1 d ago"),
        (2_000 * 86_400, "2,000 d ago"),
    ],
)
def test_how_long_ago_is_one_short_unit(seconds, text):
    assert format_ago(seconds) == text


def test_the_template_filters_write_the_same():
    template = Template("{% load units %}{{ size|size }} · {{ speed|speed }} · {{ none|size }}")
    text = template.render(Context({"size": 6_600_000, "speed": 102_700, "none": None}))
    assert text == "6.6 MB · 102.7 kB/s · "


@pytest.mark.browser
def test_the_pages_script_writes_every_figure_as_python_does(live_server, transactional_db):
    with signed_in_page(live_server.url, make_user("units")) as page:
        page.goto("/")
        written = page.evaluate(
            "counts => counts.map(n => [MVidarr.units.bytes(n), MVidarr.units.rate(n)])",
            [count for count, _text in CASES] + [512.5, 1_048_576, 999_950],
        )
    expected = [
        [format_bytes(count), format_rate(count)]
        for count in [count for count, _text in CASES] + [512.5, 1_048_576, 999_950]
    ]
    assert written == expected
