import numpy as np
import pytest
from pyproj import Geod

from heatgis.io.chinacrs import (bd09_to_gcj02, bd09_to_wgs84, gcj02_to_bd09, gcj02_to_wgs84,
                                 out_of_china, wgs84_to_bd09, wgs84_to_gcj02)

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
    cases = [(121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
             (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
             (116.377817, 39.911954, 116.38404722455657, 39.91334545536069)]
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
    assert 300 < d.min() and d.max() < 1000  # Amap is offset ~600 m here


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
    for fn in (wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02, bd09_to_wgs84,
               wgs84_to_bd09):
        olon, olat = fn(lon, lat)
        np.testing.assert_array_equal(olon, lon)
        np.testing.assert_array_equal(olat, lat)


def test_mixed_arrays_keep_shape():
    lon = np.array([[111.67, 139.69], [111.70, 111.60]])
    lat = np.array([[40.82, 35.68], [40.80, 40.85]])
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert glon.shape == (2, 2)
    assert glon[0, 1] == 139.69 and glon[0, 0] != 111.67
