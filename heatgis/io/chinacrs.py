"""China's offset coordinate systems: GCJ-02 ("Mars coordinates", Amap/Tencent) and BD-09 (Baidu).

Vectorized numpy conversions between WGS84, GCJ-02 and BD-09 longitudes/latitudes in
degrees. The forward GCJ-02 offset is the widely published formula; its inverse is
solved to the rounding of the coordinates (two fixed-point steps and a Newton step;
never worse than 1e-9 degrees, i.e. well under 1 mm), not by the common one-step
approximation (~1-2 m error). The offset formula is evaluated with six sines instead
of twelve (multiple-angle identities), on cache-sized blocks: 1M points convert in a
fraction of a second. Points
outside China (the standard rectangular ``out_of_china`` test) are returned unchanged.

Qt-free; arrays (or scalars) in, float arrays out.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "out_of_china",
    "wgs84_to_gcj02",
    "gcj02_to_wgs84",
    "gcj02_to_bd09",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "wgs84_to_bd09",
]

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0
_TOL = 1e-10  # degrees; BD-09 iteration stops when the residual is below this
_MAX_ITER = 30
# The inverse GCJ-02 iteration w <- g - delta(w) contracts by at most 0.0073 per step
# (the largest row-sum norm of the offset's Jacobian over the China rectangle, measured
# on a 1500 x 1500 grid), except within ~1e-8 degrees of longitude 105, where the
# offset's sqrt|lon - 105| term adds ~1e-6 / sqrt|lon - 105|: a step that moved a point
# by c leaves an error below c q / (1 - q), q = _CONTRACTION + 1e-6 / sqrt|lon - 105|.
# Near that kink a point takes exact fixed-point steps until this bound is below
# _TOL_GCJ; everywhere else Newton steps until their bound is below _TOL_NEWTON.
_CONTRACTION = 0.008
_TOL_GCJ = 1e-9  # degrees (0.1 mm)
_TOL_NEWTON = 1e-13  # degrees: bound on the error left by a Newton step (one step, in practice)
_CHUNK = 16384  # points per block: the temporaries of one block stay in the CPU cache

# constants of the offset formula, folded
_PI = np.pi
_K_LAT = 180.0 / (_A * (1.0 - _EE) * _PI)
_K_LON = 180.0 / (_A * _PI)


def _arrays(lon, lat):
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    lon, lat = np.broadcast_arrays(lon, lat)
    return lon.copy(), lat.copy()


def out_of_china(lon, lat):
    """Whether points lie outside the rectangle in which the China offsets apply.

    Parameters
    ----------
    lon, lat : array_like
        Longitude and latitude in degrees.

    Returns
    -------
    numpy.ndarray of bool
    """
    return _outside(*_arrays(lon, lat))


def _sin_single(theta):
    """sin(theta) in single precision (~3e-7 absolute), five times faster than in double.

    The angle is reduced to [-pi, pi] in double precision first, so large angles
    lose nothing more. Good enough for the first iterations of the inverse, whose
    last step is always taken in double precision.
    """
    r = theta * (1.0 / (2.0 * _PI))
    np.rint(r, out=r)
    r *= -2.0 * _PI
    r += theta
    return np.sin(r.astype(np.float32)).astype(np.float64)


def _slow_terms(v, k30, k12, sin=np.sin):
    """``k30 sin(pi v / 30) + k12 sin(pi v / 12)`` from one sine, that of t = pi v / 60.

    sin 2t = 2 sin t cos t and sin 5t = sin t (16 sin^4 t - 20 sin^2 t + 5), with
    cos t = +-sqrt(1 - sin^2 t), negative when |v| > 30 (valid for |v| < 90, which the
    China rectangle keeps: |v| <= 35).
    """
    t = sin(v * (_PI / 60.0))
    t2 = t * t
    cos_t = np.sqrt(1.0 - t2)
    if np.max(np.abs(v), initial=0.0) > 30.0:
        np.copysign(cos_t, 30.0 - np.abs(v), out=cos_t)
    cos_t *= 2.0 * k30
    poly = t2 * (16.0 * k12)
    poly -= 20.0 * k12
    poly *= t2
    poly += 5.0 * k12
    poly += cos_t
    poly *= t
    return poly


def _gcj_delta(lon, lat, sin=np.sin):
    """The GCJ-02 offset (dlon, dlat) in degrees at WGS84 (lon, lat).

    The published polynomial-and-sine formula, with its twelve sines computed from
    six (sin 6a and sin a from sin 2a and sin a/3 by the triple-angle formula
    sin 3a = sin a (3 - 4 sin^2 a); the slow terms pi/30 and pi/12 from one sine of
    pi/60; cos(lat) from sin(lat), as |lat| < 90) and its constants folded; the same
    values to ~1e-13 degrees. Works on whole arrays; the conversions feed it
    cache-sized blocks. ``sin=_sin_single`` gives a ~1e-9 degree approximation, for
    the first steps of the inverse.
    """
    x = lon - 105.0
    y = lat - 35.0
    # shared: 2/3 (20 sin 6 pi x + 20 sin 2 pi x) = 40/3 (sin 3a + sin a), a = 2 pi x
    #       = 160/3 s (1 - s^2), s = sin a
    s = sin(x * (2.0 * _PI))
    shared = s * s
    np.subtract(1.0, shared, out=shared)
    shared *= s
    shared *= 160.0 / 3.0
    # 2/3 (20 sin 3b + 40 sin b) = s (200/3 - 160/3 s^2), s = sin b, b = pi x / 3 (dlon) or pi y / 3 (dlat)
    a = sin(x * (_PI / 3.0))
    mid_x = a * a
    mid_x *= -160.0 / 3.0
    mid_x += 200.0 / 3.0
    mid_x *= a
    b = sin(y * (_PI / 3.0))
    mid_y = b * b
    mid_y *= -160.0 / 3.0
    mid_y += 200.0 / 3.0
    mid_y *= b
    sqrt_ax = np.sqrt(np.abs(x))
    # -100 + 2x + 3y + 0.2y^2 + 0.1xy + 0.2 sqrt|x| + shared + mid_y
    #   + 2/3 (160 sin pi y/12 + 320 sin pi y/30)
    dlat = 0.2 * y
    dlat += 0.1 * x
    dlat += 3.0
    dlat *= y
    dlat += 2.0 * x
    dlat += 0.2 * sqrt_ax
    dlat += shared
    dlat += mid_y
    dlat += _slow_terms(y, 640.0 / 3.0, 320.0 / 3.0, sin)
    dlat -= 100.0
    # 300 + x + 2y + 0.1x^2 + 0.1xy + 0.1 sqrt|x| + shared + mid_x
    #   + 2/3 (150 sin pi x/12 + 300 sin pi x/30)
    dlon = x + y
    dlon *= 0.1
    dlon += 1.0
    dlon *= x
    dlon += 2.0 * y
    dlon += 0.1 * sqrt_ax
    dlon += shared
    dlon += mid_x
    dlon += _slow_terms(x, 200.0, 100.0, sin)
    dlon += 300.0
    # dlat * 180 / ((A (1 - EE)) / (magic sqrt(magic)) pi), dlon * 180 / (A / sqrt(magic) cos(lat) pi)
    sin2 = sin(lat * (_PI / 180.0))
    sin2 *= sin2
    magic = 1.0 - _EE * sin2
    sqrtmagic = np.sqrt(magic)
    magic *= sqrtmagic
    magic *= _K_LAT
    dlat *= magic
    np.subtract(1.0, sin2, out=sin2)
    np.sqrt(sin2, out=sin2)  # cos(lat)
    with np.errstate(divide="ignore", invalid="ignore"):  # lat = +-90: outside China anyway
        np.divide(sqrtmagic, sin2, out=sqrtmagic)
    sqrtmagic *= _K_LON
    dlon *= sqrtmagic
    return dlon, dlat


def _outside(lon, lat):
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _sincos32(theta, reduce=True):
    """sin and cos of a float64 angle in single precision (~1e-7); reduced to [-pi, pi] first."""
    if reduce:
        r = theta * (1.0 / (2.0 * _PI))
        np.rint(r, out=r)
        r *= -2.0 * _PI
        r += theta
        theta = r
    t = theta.astype(np.float32)
    return np.sin(t), np.cos(t)


#: bound on the absolute error of the single-precision Jacobian of _newton_step
_JAC_ERR = 1e-7


def _newton_step(wlon, wlat, glon, glat):
    """One Newton step for w + delta(w) = g, and a bound on the error it leaves.

    The residual is exact (:func:`_gcj_delta`); the Jacobian is the analytic
    derivative of every term of the formula, in single precision (entries below
    0.0073, good to ~1e-9: a Newton step needs no more). From the ~1e-8 degree
    estimate of two fixed-point steps it lands within ~1e-16 degrees of the
    solution. The error left is below ``step * (0.1 * step + _JAC_ERR)``: the
    offset's second derivatives are below 0.2 per degree squared away from the
    sqrt|lon - 105| kink (|lon - 105| > 1e-3, the caller's condition).

    Returns
    -------
    (lon, lat, bound) : numpy.ndarray
        The new estimate and the bound on its error (degrees).
    """
    pi = _PI
    f32 = np.float32
    dlon, dlat = _gcj_delta(wlon, wlat)
    f_lon = wlon + dlon - glon
    f_lat = wlat + dlat - glat
    # the Jacobian of delta, in single precision
    x64 = wlon - 105.0
    y64 = wlat - 35.0
    x, y = x64.astype(f32), y64.astype(f32)
    s2, c2 = _sincos32(x64 * (2.0 * pi))
    _, ca = _sincos32(x64 * (pi / 3.0))
    _, cb = _sincos32(y64 * (pi / 3.0))
    _, cx30 = _sincos32(x64 * (pi / 30.0), reduce=False)
    _, cx12 = _sincos32(x64 * (pi / 12.0), reduce=False)
    _, cy30 = _sincos32(y64 * (pi / 30.0), reduce=False)
    _, cy12 = _sincos32(y64 * (pi / 12.0), reduce=False)
    sp, cp = _sincos32(wlat * (pi / 180.0), reduce=False)
    # d/dx of 40/3 (sin 6 pi x + sin 2 pi x): 40/3 (6 pi cos 6 pi x + 2 pi cos 2 pi x), cos 3u = c (4c^2 - 3)
    d_shared = c2 * (f32(320.0 * pi) * c2 * c2 - f32(640.0 / 3.0 * pi))
    # d/dv of 40/3 sin pi v + 80/3 sin pi v/3: 40/3 pi cos pi v + 80/9 pi cos pi v/3
    d_mid_x = ca * (f32(160.0 / 3.0 * pi) * ca * ca - f32(280.0 / 9.0 * pi))
    d_mid_y = cb * (f32(160.0 / 3.0 * pi) * cb * cb - f32(280.0 / 9.0 * pi))
    d_slow_x = f32(200.0 * pi / 30.0) * cx30 + f32(100.0 * pi / 12.0) * cx12
    d_slow_y = f32(640.0 / 3.0 * pi / 30.0) * cy30 + f32(320.0 / 3.0 * pi / 12.0) * cy12
    ax = np.maximum(np.abs(x), f32(1e-30))
    d_sqrt = np.copysign(f32(1.0) / np.sqrt(ax), x)  # d sqrt|x| / dx
    tlat_x = f32(2.0) + f32(0.1) * y + f32(0.1) * d_sqrt + d_shared
    tlat_y = f32(3.0) + f32(0.4) * y + f32(0.1) * x + d_mid_y + d_slow_y
    tlon_x = f32(1.0) + f32(0.2) * x + f32(0.1) * y + f32(0.05) * d_sqrt + d_shared + d_mid_x + d_slow_x
    tlon_y = f32(2.0) + f32(0.1) * x
    magic = f32(1.0) - f32(_EE) * sp * sp
    sm = np.sqrt(magic)
    d_magic = f32(-2.0 * _EE * pi / 180.0) * sp * cp
    s_lat = magic * sm * f32(_K_LAT)
    ds_lat_rel = f32(1.5) * d_magic / magic  # (d s_lat / d lat) / s_lat
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        s_lon = sm / cp * f32(_K_LON)
        ds_lon_rel = d_magic / (f32(2.0) * magic) + sp / cp * f32(pi / 180.0)  # (d s_lon / d lat) / s_lon
    j11 = tlon_x * s_lon
    j12 = tlon_y * s_lon + dlon.astype(f32) * ds_lon_rel  # t_lon * ds_lon = dlon * ds_lon / s_lon
    j21 = tlat_x * s_lat
    j22 = tlat_y * s_lat + dlat.astype(f32) * ds_lat_rel
    # solve (I + J) step = F in double precision
    a11 = j11.astype(np.float64) + 1.0
    a12 = j12.astype(np.float64)
    a21 = j21.astype(np.float64)
    a22 = j22.astype(np.float64) + 1.0
    det = a11 * a22 - a12 * a21
    step_lon = (a22 * f_lon - a12 * f_lat) / det
    step_lat = (a11 * f_lat - a21 * f_lon) / det
    step = np.maximum(np.abs(step_lon), np.abs(step_lat))
    return wlon - step_lon, wlat - step_lat, step * (0.1 * step + _JAC_ERR)


def _blocks(n):
    for i in range(0, n, _CHUNK):
        yield slice(i, min(i + _CHUNK, n))


def wgs84_to_gcj02(lon, lat):
    """WGS84 to GCJ-02.

    Parameters
    ----------
    lon, lat : array_like
        WGS84 longitude and latitude in degrees.

    Returns
    -------
    lon, lat : numpy.ndarray
        GCJ-02 coordinates; points outside China unchanged.

    Examples
    --------
    >>> wgs84_to_gcj02(121.5272106, 31.1774276)  # doctest: +SKIP
    (array(121.53154186), array(31.17530398))
    """
    lon, lat = _arrays(lon, lat)
    shape = lon.shape
    lon, lat = lon.ravel(), lat.ravel()
    out_lon, out_lat = lon.copy(), lat.copy()
    for b in _blocks(len(lon)):
        lo, la = lon[b], lat[b]
        inside = ~_outside(lo, la)
        dlon, dlat = _gcj_delta(lo, la)
        np.add(lo, dlon, out=out_lon[b], where=inside)
        np.add(la, dlat, out=out_lat[b], where=inside)
    return out_lon.reshape(shape), out_lat.reshape(shape)


def gcj02_to_wgs84(lon, lat):
    """GCJ-02 to WGS84, the exact inverse of :func:`wgs84_to_gcj02`.

    Two fixed-point steps ``w <- g - delta(w)`` and a Newton step with the
    offset's analytic Jacobian: the solution to ~1e-14 degrees (the rounding of
    the coordinates themselves), never worse than 1e-9 degrees (0.1 mm). Computed
    block by block so the work stays in the CPU cache; each point's result
    depends on its own value only.

    Parameters
    ----------
    lon, lat : array_like
        GCJ-02 longitude and latitude in degrees.

    Returns
    -------
    lon, lat : numpy.ndarray
        WGS84 coordinates; points outside China unchanged.
    """
    glon, glat = _arrays(lon, lat)
    shape = glon.shape
    glon, glat = glon.ravel(), glat.ravel()
    out_lon, out_lat = glon.copy(), glat.copy()
    for b in _blocks(len(glon)):
        go, ga = glon[b], glat[b]
        idx = np.flatnonzero(~_outside(go, ga))
        if len(idx) == 0:
            continue
        if len(idx) < len(go):
            go, ga = go[idx], ga[idx]
        # w <- g - delta(w) contracts by ~2e-3 per step (at most 0.0073): from w = g the
        # error is ~1e-5 deg after one step, ~1e-8 after two. These two steps use
        # single-precision sines (offset error ~1e-9 deg, far below their own error).
        # Then exact Newton steps (one, in practice) take each point to ~1e-16 deg;
        # within 1e-3 deg of longitude 105, where the formula's sqrt|lon - 105| has a
        # kink, exact fixed-point steps instead, until their error bound is below 1e-9
        # deg. A point's result depends on its own value only, never on its
        # neighbours (the first and last point of a ring stay equal).
        wlon, wlat = go, ga
        for _ in range(2):
            dlon, dlat = _gcj_delta(wlon, wlat, _sin_single)
            wlon, wlat = go - dlon, ga - dlat
        res_lon, res_lat = out_lon[b], out_lat[b]  # views: written in place
        kink = np.abs(wlon - 105.0) <= 1e-3
        for newton, sel in ((True, ~kink), (False, kink)):
            if sel.any():
                _refine(newton, idx[sel], go[sel], ga[sel], wlon[sel], wlat[sel], res_lon, res_lat)
    return out_lon.reshape(shape), out_lat.reshape(shape)


def _refine(newton, idx, go, ga, wlon, wlat, res_lon, res_lat):
    """Exact steps for the points ``idx`` until each one's error bound is met; results into res_*."""
    for k in range(_MAX_ITER):
        if newton:
            nlon, nlat, bound = _newton_step(wlon, wlat, go, ga)
            more = bound > _TOL_NEWTON  # False for NaN input: nothing to refine
        else:
            dlon, dlat = _gcj_delta(wlon, wlat)
            nlon, nlat = go - dlon, ga - dlat
            change = np.maximum(np.abs(nlon - wlon), np.abs(nlat - wlat))
            with np.errstate(divide="ignore"):
                q = np.minimum(_CONTRACTION + 1e-6 / np.sqrt(np.abs(nlon - 105.0)), 0.5)
            more = change * q > _TOL_GCJ * (1.0 - q)
        if k == _MAX_ITER - 1 or not more.any():
            res_lon[idx], res_lat[idx] = nlon, nlat
            return
        done = ~more
        res_lon[idx[done]], res_lat[idx[done]] = nlon[done], nlat[done]
        idx, go, ga, wlon, wlat = idx[more], go[more], ga[more], nlon[more], nlat[more]


def _gcj_to_bd_raw(lon, lat):
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def gcj02_to_bd09(lon, lat):
    """GCJ-02 to BD-09 (Baidu).

    Parameters
    ----------
    lon, lat : array_like
        GCJ-02 longitude and latitude in degrees.

    Returns
    -------
    lon, lat : numpy.ndarray
        BD-09 coordinates; points outside China unchanged.
    """
    lon, lat = _arrays(lon, lat)
    inside = ~out_of_china(lon, lat)
    blon, blat = _gcj_to_bd_raw(lon, lat)
    return np.where(inside, blon, lon), np.where(inside, blat, lat)


def bd09_to_gcj02(lon, lat):
    """BD-09 (Baidu) to GCJ-02, the exact inverse of :func:`gcj02_to_bd09`.

    Starts from the published closed-form inverse and refines it by fixed-point
    iteration to better than 1e-10 degrees.

    Parameters
    ----------
    lon, lat : array_like
        BD-09 longitude and latitude in degrees.

    Returns
    -------
    lon, lat : numpy.ndarray
        GCJ-02 coordinates; points outside China unchanged.
    """
    blon, blat = _arrays(lon, lat)
    inside = ~out_of_china(blon, blat)
    x, y = blon - 0.0065, blat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    glon, glat = z * np.cos(theta), z * np.sin(theta)
    for _ in range(_MAX_ITER):
        flon, flat = _gcj_to_bd_raw(glon, glat)
        rlon, rlat = blon - flon, blat - flat
        glon, glat = glon + rlon, glat + rlat
        if max(float(np.max(np.abs(rlon), initial=0.0)), float(np.max(np.abs(rlat), initial=0.0))) < _TOL:
            break
    return np.where(inside, glon, blon), np.where(inside, glat, blat)


def bd09_to_wgs84(lon, lat):
    """BD-09 (Baidu) to WGS84.

    Parameters
    ----------
    lon, lat : array_like
        BD-09 longitude and latitude in degrees.

    Returns
    -------
    lon, lat : numpy.ndarray
        WGS84 coordinates; points outside China unchanged.
    """
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def wgs84_to_bd09(lon, lat):
    """WGS84 to BD-09 (Baidu).

    Parameters
    ----------
    lon, lat : array_like
        WGS84 longitude and latitude in degrees.

    Returns
    -------
    lon, lat : numpy.ndarray
        BD-09 coordinates; points outside China unchanged.
    """
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
