"""Approximate areas of units that have no boundaries of their own (streets, communities, grids):
each point's cell is the part of an area nearer to it than to any other point (a Voronoi cell
clipped to the area). Drawn as such, labelled as approximate."""
from __future__ import annotations

import numpy as np
import shapely

# A point whose cell misses the area (it lies outside, or shares its place with another point)
# still gets an area to click: a small disc around it, inside the area where possible.
MIN_RADIUS = 0.002  # degrees, about 200 m


def approximate_cells(points: dict[str, tuple[float, float]], within: shapely.Geometry) -> dict[str, shapely.Geometry]:
    """Unit code -> its cell inside `within`, from the units' (lon, lat) points. Cells do not
    overlap and together cover `within`."""
    located = {code: xy for code, xy in points.items() if xy[0] == xy[0] and xy[1] == xy[1]}
    if len(located) <= 1:
        return {code: within for code in located}
    codes, where = list(located), shapely.points(list(located.values()))
    regions = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(where), extend_to=within, ordered=True))
    if len(regions) != len(codes):  # points sharing a place have one region between them
        regions = np.array([next((r for r in regions if r.covers(p)), shapely.Polygon()) for p in where])
    shapely.prepare(within)
    cells = regions.copy()
    crossing = ~shapely.contains(within, regions)  # only the cells at the edge are cut (a thousand cells: 40 ms)
    cells[crossing] = shapely.intersection(regions[crossing], within)
    out = {}
    for code, point, cell in zip(codes, where, cells):
        if cell.is_empty:
            disc = point.buffer(MIN_RADIUS)
            cell = disc.intersection(within) if disc.intersects(within) else disc
        out[code] = cell
    return out
