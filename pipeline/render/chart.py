"""The attendance chart in the Looked After Child review report: sessions by outcome.

Drawn with Pillow alone (no plotting library to install on a council PC). A horizontal bar
chart reads well in print: outcome names on the left, a count at the end of every bar, and
outcomes with no sessions still shown, as 0, because "never cancelled by the parent" is news
to the IRO. The same counts always give the same bytes, so a re-run report does not change.
"""

from __future__ import annotations

import io
import math
import os
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1400, 700
DPI = 200  # 7 x 3.5 inches: sharp on paper
BACKGROUND = (255, 255, 255)
INK = (33, 33, 33)
MUTED = (96, 96, 96)
GRID = (217, 217, 217)
BAR = (31, 78, 121)  # the forms' dark blue
MARGIN = 36
GAP = 14

_WINDOWS_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
# Regular, then bold, in order of preference; the first that exists is used.
FONT_PATHS = {
    False: [
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
        Path("/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf"),
        Path("/usr/share/fonts/liberation/LiberationSans-Regular.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
        Path("/Library/Fonts/Arial.ttf"),
        _WINDOWS_FONTS / "arial.ttf",
        _WINDOWS_FONTS / "segoeui.ttf",
    ],
    True: [
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
        Path("/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf"),
        Path("/usr/share/fonts/liberation/LiberationSans-Bold.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
        Path("/Library/Fonts/Arial Bold.ttf"),
        _WINDOWS_FONTS / "arialbd.ttf",
        _WINDOWS_FONTS / "segoeuib.ttf",
    ],
}


@lru_cache(maxsize=32)
def _font(size: int, bold: bool = False):
    """A scalable font: Liberation Sans / DejaVu / Arial if found, else Pillow's own."""
    for path in FONT_PATHS[bold]:
        try:
            if path.is_file():
                return ImageFont.truetype(str(path), size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)  # Pillow >= 10.1 with FreeType
    except (TypeError, OSError, ImportError):
        return ImageFont.load_default()


def _width(draw: ImageDraw.ImageDraw, text: str, font) -> float:
    return draw.textlength(text, font=font)


def _fit(draw, text: str, font, max_width: float) -> str:
    """The text, shortened with an ellipsis when it would not fit."""
    if _width(draw, text, font) <= max_width:
        return text
    while text and _width(draw, text + "\u2026", font) > max_width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def _wrap(draw, text: str, font, max_width: float, lines: int = 2) -> list[str]:
    """Up to `lines` lines, words kept whole where possible, the last one shortened."""
    words = text.split()
    out: list[str] = []
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and _width(draw, f"{line} {words[0]}", font) <= max_width:
            line = f"{line} {words.pop(0)}"
        out.append(_fit(draw, line, font, max_width))
    if words:
        out.append(_fit(draw, " ".join(words), font, max_width))
    return out or [""]


def _step(top: int) -> int:
    """A round tick step (1, 2, 5, 10, 20, ...) giving at most about six gridlines."""
    raw = max(top / 6, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * magnitude >= raw:
            return int(m * magnitude)
    return int(10 * magnitude)


def _clean_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Outcome and count pairs in the order given; a missing or negative count reads 0."""
    out = []
    for label, n in counts.items():
        try:
            value = int(n) if n is not None else 0
        except (TypeError, ValueError):
            value = 0
        out.append((" ".join(str(label).split()) or "(no outcome)", max(value, 0)))
    return out


def attendance_chart(counts: dict[str, int], title: str) -> bytes:
    """A PNG (1400 x 700 px, 200 dpi) of sessions by outcome, in the order the dict gives."""
    rows = _clean_counts(counts)
    img = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(img)

    title_font = _font(34, bold=True)
    title_text = _fit(draw, " ".join(str(title or "").split()), title_font, WIDTH - 2 * MARGIN)
    draw.text((MARGIN, MARGIN), title_text, font=title_font, fill=INK)
    top = MARGIN + 34 + 2 * GAP

    if not rows:
        draw.text(
            (WIDTH / 2, (top + HEIGHT) / 2),
            "No sessions recorded for this period",
            font=_font(30),
            fill=MUTED,
            anchor="mm",
        )
        return _png(img)

    axis_font = _font(22)
    bottom = HEIGHT - MARGIN - 22 - GAP  # room for the axis numbers
    row_h = (bottom - top) / len(rows)
    size = int(max(12, min(26, row_h * 0.42)))
    label_font, count_font = _font(size), _font(size, bold=True)
    two_lines = row_h >= 2.4 * size

    label_w = WIDTH * 0.34
    plot_x0 = MARGIN + label_w + GAP
    peak = max(n for _, n in rows)
    step = _step(peak)
    scale_top = max(step, math.ceil(peak / step) * step)
    count_room = _width(draw, f"{peak:,}", count_font) + GAP
    plot_w = WIDTH - MARGIN - plot_x0 - count_room

    for tick in range(0, scale_top + 1, step):
        x = plot_x0 + plot_w * tick / scale_top
        draw.line([(x, top), (x, bottom)], fill=GRID, width=2)
        draw.text((x, bottom + GAP / 2), f"{tick:,}", font=axis_font, fill=MUTED, anchor="mt")
    draw.line([(plot_x0, top), (plot_x0, bottom)], fill=MUTED, width=2)

    bar_h = max(4, min(56, row_h * 0.6))
    for i, (label, n) in enumerate(rows):
        mid = top + row_h * (i + 0.5)
        lines = _wrap(draw, label, label_font, label_w, 2 if two_lines else 1)
        line_h = size * 1.15
        y0 = mid - line_h * (len(lines) - 1) / 2
        for k, line in enumerate(lines):
            draw.text(
                (plot_x0 - GAP, y0 + k * line_h), line, font=label_font, fill=INK, anchor="rm"
            )
        length = plot_w * n / scale_top
        if n:
            draw.rectangle(
                [plot_x0, mid - bar_h / 2, plot_x0 + max(length, 2), mid + bar_h / 2], fill=BAR
            )
        draw.text(
            (plot_x0 + length + GAP / 2, mid), f"{n:,}", font=count_font, fill=INK, anchor="lm"
        )
    return _png(img)


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    # light compression: a few KB larger, twice as fast (the chart is drawn per report)
    img.save(out, format="PNG", dpi=(DPI, DPI), optimize=False, compress_level=1)
    return out.getvalue()


# A small fixed palette: one colour per category, in order (print-safe, colour-blind aware).
PALETTE = [
    (31, 78, 121),
    (91, 155, 213),
    (237, 125, 49),
    (165, 165, 165),
    (255, 192, 0),
    (112, 173, 71),
    (158, 72, 14),
    (99, 37, 110),
    (38, 68, 120),
    (153, 115, 0),
    (67, 104, 43),
    (124, 124, 124),
]


def _legend(draw: ImageDraw.ImageDraw, used: list[str], top: float) -> float:
    """The outcomes' colours, wrapped across the width from `top`; returns where the bars may
    start below it."""
    legend_font = _font(20)
    x, y = MARGIN, top
    for i, c in enumerate(used):
        w = 26 + _width(draw, c, legend_font) + 2 * GAP
        if x + w > WIDTH - MARGIN:
            x, y = MARGIN, y + 30
        draw.rectangle([x, y + 3, x + 20, y + 23], fill=PALETTE[i % len(PALETTE)])
        draw.text((x + 26, y + 13), c, font=legend_font, fill=INK, anchor="lm")
        x += w
    return y + 30 + GAP


def stacked_by_month(months: dict[str, dict[str, int]], categories: list[str], title: str) -> bytes:
    """A PNG of sessions by month (rows "Nov 2026"), each bar split by outcome, with a legend
    of the outcomes that occur. `months` is "YYYY-MM" -> category -> count."""
    import datetime as dt

    from pipeline.dates import month_year

    img = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(img)
    title_font = _font(34, bold=True)
    draw.text(
        (MARGIN, MARGIN),
        _fit(draw, " ".join(str(title).split()), title_font, WIDTH - 2 * MARGIN),
        font=title_font,
        fill=INK,
    )
    top = MARGIN + 34 + 2 * GAP
    used = [c for c in categories if any(m.get(c) for m in months.values())]
    if not months or not used:
        draw.text(
            (WIDTH / 2, (top + HEIGHT) / 2),
            "No sessions recorded for this period",
            font=_font(30),
            fill=MUTED,
            anchor="mm",
        )
        return _png(img)
    top = _legend(draw, used, top)
    axis_font = _font(22)
    bottom = HEIGHT - MARGIN - 22 - GAP
    keys = sorted(months)
    row_h = (bottom - top) / len(keys)
    label_font = _font(int(max(12, min(24, row_h * 0.42))))
    totals = {k: sum(months[k].get(c, 0) for c in used) for k in keys}
    peak = max(totals.values()) or 1
    step = _step(peak)
    scale_top = max(step, math.ceil(peak / step) * step)
    label_w = 180
    plot_x0 = MARGIN + label_w + GAP
    plot_w = WIDTH - MARGIN - plot_x0 - 80
    for tick in range(0, scale_top + 1, step):
        tx = plot_x0 + plot_w * tick / scale_top
        draw.line([(tx, top), (tx, bottom)], fill=GRID, width=2)
        draw.text((tx, bottom + GAP / 2), f"{tick:,}", font=axis_font, fill=MUTED, anchor="mt")
    bar_h = max(4, min(56, row_h * 0.6))
    for i, k in enumerate(keys):
        mid = top + row_h * (i + 0.5)
        year, month = (int(p) for p in k.split("-"))
        draw.text(
            (plot_x0 - GAP, mid),
            month_year(dt.date(year, month, 1)),
            font=label_font,
            fill=INK,
            anchor="rm",
        )
        start = plot_x0
        for j, c in enumerate(used):
            n = months[k].get(c, 0)
            if n:
                end = start + plot_w * n / scale_top
                draw.rectangle(
                    [start, mid - bar_h / 2, end, mid + bar_h / 2], fill=PALETTE[j % len(PALETTE)]
                )
                start = end
        draw.text(
            (start + GAP / 2, mid),
            f"{totals[k]:,}",
            font=_font(22, bold=True),
            fill=INK,
            anchor="lm",
        )
    return _png(img)
