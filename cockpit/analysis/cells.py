"""Approximate areas of units that have no boundaries of their own (streets, communities, grids):
each unit's cell is the part of its parent's area nearer to the unit's point than to any
sibling's (a Voronoi cell clipped to the parent). Drawn as such, labelled as approximate."""
from __future__ import annotations

import shapely
from shapely.geometry import Point

# A unit whose point lies outside its parent's area (a mean of grid points in a concave parent)
# still gets an area to click: a small disc around its point, inside the parent where possible.
MIN_RADIUS = 0.002  # degrees, about 200 m


def approximate_cells(points: dict[str, tuple[float, float]], within: shapely.Geometry) -> dict[str, shapely.Geometry]:
    """Unit code -> its cell inside `within`, from the units' (lon, lat) points. Cells do not
    overlap and together cover `within`."""
    located = {code: Point(xy) for code, xy in points.items() if xy[0] == xy[0] and xy[1] == xy[1]}
    if len(located) <= 1:
        return {code: within for code in located}
    regions = shapely.voronoi_polygons(shapely.MultiPoint(list(located.values())), extend_to=within)
    cells = {}
    for region in shapely.get_parts(regions):
        for code, point in located.items():
            if code not in cells and region.covers(point):
                cells[code] = region.intersection(within)
                break
    for code, point in located.items():  # a point on a shared edge, or a cell that missed the parent
        if code not in cells or cells[code].is_empty:
            disc = point.buffer(MIN_RADIUS)
            inside = disc.intersection(within)
            cells[code] = inside if not inside.is_empty else disc
    return cells
