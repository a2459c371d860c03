import numpy as np
import pytest
from pyproj import Geod

from heatgis.io.chinacrs import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    out_of_china,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def hohhot_points():
    rng = np.random.default_rng(20220216)
    lon = rng.uniform(111.45, 111.95, 10_000)
    lat = rng.uniform(40.65, 41.00, 10_000)
    return lon, lat


def _metres(lon1, lat1, lon2, lat2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


def test_reference_values():
    # eviltransform's test vectors (Shanghai, Shenzhen, Beijing), WGS84 -> GCJ-02
    cases = [
        (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
        (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
        (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
    ]
    for wlon, wlat, glon, glat in cases:
        lon, lat = wgs84_to_gcj02(wlon, wlat)
        assert abs(lon - glon) < 1e-9 and abs(lat - glat) < 1e-9
        back = gcj02_to_wgs84(glon, glat)
        assert abs(back[0] - wlon) < 1e-8 and abs(back[1] - wlat) < 1e-8
    blon, blat = gcj02_to_bd09(121.531541859215, 31.17530398364597)
    assert abs(blon - 121.53801568643858) < 1e-8 and abs(blat - 31.181328606874466) < 1e-8


def test_hohhot_offset_magnitude(hohhot_points):
    lon, lat = hohhot_points
    glon, glat = wgs84_to_gcj02(lon, lat)
    d = _metres(lon, lat, glon, glat)
    assert d.min() > 300 and d.max() < 1000  # Amap is offset ~600 m here


def test_gcj_round_trip_under_1cm(hohhot_points):
    lon, lat = hohhot_points
    glon, glat = wgs84_to_gcj02(lon, lat)
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    assert _metres(lon, lat, wlon, wlat).max() < 0.01
    # and the other way round: WGS84 of a GCJ point, forward again
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    glon, glat = wgs84_to_gcj02(wlon, wlat)
    assert _metres(lon, lat, glon, glat).max() < 0.01


def test_bd_round_trips_under_1cm(hohhot_points):
    lon, lat = hohhot_points
    blon, blat = gcj02_to_bd09(lon, lat)
    glon, glat = bd09_to_gcj02(blon, blat)
    assert _metres(lon, lat, glon, glat).max() < 0.01
    blon, blat = wgs84_to_bd09(lon, lat)
    assert _metres(lon, lat, blon, blat).min() > 300
    wlon, wlat = bd09_to_wgs84(blon, blat)
    assert _metres(lon, lat, wlon, wlat).max() < 0.01


def test_out_of_china_passthrough():
    lon = np.array([139.6917, -0.1276, 2.35, 151.2])
    lat = np.array([35.6895, 51.5072, 48.85, -33.86])
    assert out_of_china(lon, lat).all()
    for fn in (wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02, bd09_to_wgs84, wgs84_to_bd09):
        olon, olat = fn(lon, lat)
        np.testing.assert_array_equal(olon, lon)
        np.testing.assert_array_equal(olat, lat)


def test_mixed_arrays_keep_shape():
    lon = np.array([[111.67, 139.69], [111.70, 111.60]])
    lat = np.array([[40.82, 35.68], [40.80, 40.85]])
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert glon.shape == (2, 2)
    assert glon[0, 1] == 139.69 and glon[0, 0] != 111.67


def _published_gcj_delta(lon, lat):
    """The published GCJ-02 offset, term by term as it is usually written (no identities)."""
    x, y, pi = lon - 105.0, lat - 35.0, np.pi
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * pi) + 320 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    )
    a, ee = 6378245.0, 0.00669342162296594323
    rad = lat / 180.0 * pi
    magic = 1 - ee * np.sin(rad) ** 2
    sm = np.sqrt(magic)
    return dlon * 180.0 / (a / sm * np.cos(rad) * pi), dlat * 180.0 / ((a * (1 - ee)) / (magic * sm) * pi)


def test_fast_formula_equals_the_published_one_over_china():
    # multiple-angle identities, folded constants and blocks change nothing beyond rounding
    rng = np.random.default_rng(7)
    lon = rng.uniform(72.01, 137.83, 300_000)
    lat = rng.uniform(0.83, 55.82, 300_000)
    dlon, dlat = _published_gcj_delta(lon, lat)
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert np.abs(glon - (lon + dlon)).max() < 1e-12 and np.abs(glat - (lat + dlat)).max() < 1e-12


def test_inverse_converges_to_rounding_and_is_per_point():
    rng = np.random.default_rng(8)
    lon = rng.uniform(72.05, 137.8, 200_000)  # inside the rectangle before and after the offset
    lat = rng.uniform(0.85, 55.8, 200_000)
    away = np.abs(lon - 105.0) > 2e-3  # the formula's sqrt|lon - 105| kink: see below
    wlon, wlat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    err = np.maximum(np.abs(wlon - lon), np.abs(wlat - lat))
    assert err[away].max() < 1e-11 and err.max() < 1e-9  # 1e-9 degrees ~ 0.1 mm
    # the same point anywhere in a long array (other blocks, other neighbours): the same bits
    g = wgs84_to_gcj02(111.7, 40.8)
    big_lon, big_lat = np.full(40_000, 111.0), np.full(40_000, 40.0)
    at = [0, 16_383, 16_384, 39_999]
    big_lon[at], big_lat[at] = g
    big_lon[7] = 140.0  # outside China, in the same block
    out = gcj02_to_wgs84(big_lon, big_lat)
    assert len(set(out[0][at].tolist())) == 1 and len(set(out[1][at].tolist())) == 1
    assert out[0][7] == 140.0


def test_inverse_at_the_formula_edges():
    rng = np.random.default_rng(9)
    # near lon 105 (sqrt kink), lon 75/135 and lat 5 (where the slow sines change quadrant)
    for lo, la in ((105.0, 35.0), (75.0, 40.0), (135.0, 40.0), (100.0, 5.0), (105.0, 4.9)):
        lon = lo + rng.uniform(-1e-3, 1e-3, 20_000)
        lat = la + rng.uniform(-1e-3, 1e-3, 20_000)
        wlon, wlat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
        assert max(np.abs(wlon - lon).max(), np.abs(wlat - lat).max()) < 1e-9, (lo, la)
    lon, lat = gcj02_to_wgs84(np.array([np.nan, 111.7]), np.array([40.8, np.nan]))
    assert np.isnan(lon[0]) and np.isnan(lat[1])
    empty = gcj02_to_wgs84(np.array([]), np.array([]))
    assert empty[0].shape == (0,)


def test_gcj_ring_stays_closed():
    import shapely

    ring = shapely.Polygon([(111.6, 40.8), (111.7, 40.8), (111.7, 40.9), (111.6, 40.8)])
    many = np.array([ring] * 5000, dtype=object)  # the closing point lands in other blocks
    out = shapely.transform(many, lambda xy: np.column_stack(gcj02_to_wgs84(xy[:, 0], xy[:, 1])))
    assert shapely.is_valid(out).all() and len({shapely.to_wkb(g) for g in out}) == 1
