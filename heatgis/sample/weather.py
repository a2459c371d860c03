"""The demo's weather: an hourly outdoor temperature for February-March 2022 with the -18 °C night.

Synthetic and deterministic (its own ``numpy.random.default_rng(seed)``, so the city's
random stream is untouched): a seasonal warming from about -11 °C (daily mean, early
February) to about +4 °C (end of March), a daily swing coldest at 06:00 and warmest
at 15:00, a few days of weather systems, and the cold snap of the reference case:
the night after the reference time (2022-02-25 08:00) falls to exactly -18.0 °C at
2022-02-26 06:00, the coldest hour of the series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

START, END = "2022-02-01T00:00", "2022-03-31T23:00"
COLDEST_TIME = "2022-02-26T06:00"
COLDEST_C = -18.0


def build_weather(seed: int) -> pd.DataFrame:
    """The demo's hourly weather table (time, outdoor_c), 0.1 °C steps."""
    rng = np.random.default_rng(seed)
    t = pd.date_range(START, END, freq="h")
    day = (t - pd.Timestamp(START)) / pd.Timedelta(days=1)
    d = np.asarray(day, dtype=float)
    hour = np.asarray(t.hour, dtype=float)
    season = -11.0 + 15.0 * d / 59.0
    # warming 06:00 -> 15:00, cooling 15:00 -> 06:00
    rising = (hour >= 6) & (hour < 15)
    swing = 5.0 * np.where(rising, -np.cos(np.pi * (hour - 6.0) / 9.0), np.cos(np.pi * ((hour - 15.0) % 24) / 15.0))
    systems = sum(
        a * np.sin(2 * np.pi * d / p + ph)
        for a, p, ph in zip(rng.uniform(1.0, 2.5, 3), (5.3, 8.9, 13.7), rng.uniform(0, 2 * np.pi, 3))
    )
    noise = np.convolve(rng.normal(0, 0.6, len(t)), np.ones(5) / 5, mode="same")
    k = int(np.flatnonzero(t == pd.Timestamp(COLDEST_TIME))[0])
    dist = np.arange(len(t)) - k
    noise *= 1.0 - np.exp(-0.5 * (dist / 12.0) ** 2)  # a calm, clear night: no noise near the minimum
    temp = season + swing + systems + noise
    # the cold snap: a dip centred on the coldest night that brings it to exactly COLDEST_C
    dip = np.exp(-0.5 * (dist / 15.0) ** 2)
    temp = temp - dip * (temp[k] - COLDEST_C)
    temp[k] = COLDEST_C
    return pd.DataFrame({"time": t.astype("datetime64[ms]"), "outdoor_c": np.round(temp, 1)})
