"""The attendance chart the IRO sees in the review report."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pipeline.render import chart
from pipeline.render.chart import BAR, HEIGHT, WIDTH, attendance_chart

OUTCOMES = [
    "Took place",
    "Ended early",
    "Cancelled by parent (reason given)",
    "Parent did not attend",
    "Parent late, session cancelled",
    "Cancelled by carer",
    "Child unwell",
    "Cancelled by service",
    "Service closed",
]


def image(png: bytes) -> Image.Image:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(png))
    img.load()
    return img.convert("RGB")


def bar_extent(img: Image.Image) -> dict[int, tuple[int, int]]:
    """For each pixel row holding bar colour: (leftmost, rightmost) bar pixel."""
    px = img.load()
    out = {}
    for y in range(img.height):
        xs = [x for x in range(0, img.width, 2) if px[x, y] == BAR]
        if xs:
            out[y] = (xs[0], xs[-1])
    return out


def test_valid_png_at_print_size_and_resolution():
    png = attendance_chart(dict.fromkeys(OUTCOMES, 1), "Attendance, 1 June to 30 November 2026")
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    assert img.size == (WIDTH, HEIGHT) == (1400, 700)
    assert round(img.info["dpi"][0]) == 200


def test_same_counts_same_bytes_and_different_counts_differ():
    counts = {"Took place": 12, "Parent did not attend": 2, "Child unwell": 0}
    assert attendance_chart(counts, "Attendance") == attendance_chart(dict(counts), "Attendance")
    assert attendance_chart(counts, "Attendance") != attendance_chart(
        dict(counts, **{"Child unwell": 1}), "Attendance"
    )


def test_bar_lengths_are_in_proportion_to_the_counts():
    img = image(attendance_chart({"Took place": 10, "Parent did not attend": 5}, "Attendance"))
    rows = bar_extent(img)
    top = [e for y, e in rows.items() if y < HEIGHT / 2]
    bottom = [e for y, e in rows.items() if y > HEIGHT / 2]
    long_bar = top[0][1] - top[0][0]
    short_bar = bottom[0][1] - bottom[0][0]
    assert top[0][0] == bottom[0][0], "bars start at the same axis"
    assert long_bar / short_bar == pytest.approx(2, rel=0.03)


def test_all_zero_draws_no_bars_but_still_a_chart():
    img = image(attendance_chart(dict.fromkeys(OUTCOMES, 0), "Attendance"))
    assert bar_extent(img) == {}
    # labels and zeros are drawn: plenty of dark ink on the left half
    dark = sum(
        1
        for x in range(0, WIDTH // 2, 2)
        for y in range(0, HEIGHT, 2)
        if sum(img.getpixel((x, y))) < 200
    )
    assert dark > 500


def test_zero_count_outcome_keeps_its_row():
    with_zero = image(attendance_chart({"Took place": 3, "Cancelled by carer": 0}, "A"))
    without = image(attendance_chart({"Took place": 3}, "A"))
    assert with_zero.tobytes() != without.tobytes()
    # two rows: the one bar sits in the top half
    assert all(y < HEIGHT / 2 for y in bar_extent(with_zero))


def test_one_huge_count_and_long_labels_stay_inside_the_picture():
    counts = {
        "Took place": 1_000_000,
        "Ended early": 3,
        "A very long outcome description that would never fit beside the bars at all "
        "however wide the page is": 5,
    }
    img = image(attendance_chart(counts, "A title far too long to fit on one line " * 5))
    rows = bar_extent(img)
    assert max(r for _, r in rows.values()) < WIDTH - 100, "room left for the count label"
    px = img.load()
    for x in list(range(0, 8)) + list(range(WIDTH - 8, WIDTH)):  # nothing cut at the edges
        assert all(px[x, y] == (255, 255, 255) for y in range(0, HEIGHT, 3)), x


def test_no_outcomes_says_so_and_odd_counts_do_not_crash():
    assert image(attendance_chart({}, "Attendance")).size == (WIDTH, HEIGHT)
    odd = {"Took place": None, "Ended early": -3, "": 2, "Child unwell": "4"}
    assert image(attendance_chart(odd, None)).size == (WIDTH, HEIGHT)  # type: ignore[arg-type]
    many = {f"Outcome number {i}": i for i in range(40)}
    assert image(attendance_chart(many, "Many")).size == (WIDTH, HEIGHT)


def test_works_without_any_system_font(monkeypatch):
    monkeypatch.setattr(chart, "FONT_PATHS", {False: [], True: []})
    chart._font.cache_clear()
    try:
        img = image(attendance_chart({"Took place": 2, "Child unwell": 1}, "Attendance"))
        assert bar_extent(img)
    finally:
        chart._font.cache_clear()
