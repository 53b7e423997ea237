"""pdfplumber's table finder (default settings: tables from drawn lines), with its slowest step,
turning the lines' crossings into cells, done with each crossing's lines looked up once.

pdfplumber asks "do these two crossings share a line?" by rebuilding both crossings' line sets
on every question (thousands a page) and scans every later crossing for the ones below and to
the right. Here the sets are built once and the crossings are grouped by column and by row;
the cells, their order and the tables are the same (pdfplumber's own steps before and after).
"""

from __future__ import annotations


def find_tables(page) -> list:
    """pdfplumber's TableFinder(page).tables with its default settings."""
    from pdfplumber.table import (
        Table,
        TableFinder,
        TableSettings,
        cells_to_tables,
        edges_to_intersections,
    )

    finder = TableFinder.__new__(TableFinder)  # its steps, not its __init__
    finder.page = page
    finder.settings = settings = TableSettings.resolve(None)
    edges = finder.get_edges()
    crossings = edges_to_intersections(
        edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance
    )
    return [Table(page, group) for group in cells_to_tables(crossings_to_cells(crossings))]


def crossings_to_cells(crossings: dict) -> list[tuple]:
    """pdfplumber's intersections_to_cells: for each crossing in order, the smallest cell whose
    four corners are crossings joined by shared lines."""

    def box(e) -> tuple:
        return (e["x0"], e["top"], e["x1"], e["bottom"])

    vertical = {p: {box(e) for e in d["v"]} for p, d in crossings.items()}
    horizontal = {p: {box(e) for e in d["h"]} for p, d in crossings.items()}

    def joined(p1, p2) -> bool:
        return bool(
            (p1[0] == p2[0] and not vertical[p1].isdisjoint(vertical[p2]))
            or (p1[1] == p2[1] and not horizontal[p1].isdisjoint(horizontal[p2]))
        )

    points = sorted(crossings)
    column: dict = {}  # x -> its crossings, in sorted order (top to bottom)
    row: dict = {}  # top -> its crossings, in sorted order (left to right)
    for i, p in enumerate(points):
        column.setdefault(p[0], []).append((i, p))
        row.setdefault(p[1], []).append((i, p))
    cells = []
    for i, pt in enumerate(points[:-1]):
        below = [p for j, p in column[pt[0]] if j > i]
        right = [p for j, p in row[pt[1]] if j > i]
        cell = _smallest(pt, below, right, crossings, joined)
        if cell:
            cells.append(cell)
    return cells


def _smallest(pt, below, right, crossings, joined):
    for below_pt in below:
        if not joined(pt, below_pt):
            continue
        for right_pt in right:
            if not joined(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in crossings and joined(corner, right_pt) and joined(corner, below_pt):
                return (pt[0], pt[1], corner[0], corner[1])
    return None
