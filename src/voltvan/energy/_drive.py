"""How urban traffic shapes a leg that is known only by its distance and duration.

A planner knows a leg's distance and travel time, not its speed trace. The energy of a real trace
depends on two things the average speed hides: how fast the van goes while it moves (aerodynamic
drag grows with the square of speed) and how often it speeds up from a standstill or a slow-down
(kinetic energy spent and partly recovered). Both are taken, as functions of the average speed
including stops, from the phases of the WLTC class 3b cycle (UN GTR No. 15; the 1 Hz traces ship in
``tests/data/real/emobpy-cycles-evspecs``); ``tests/energy/test_drive.py`` recomputes them from
that file. Between the phases the tables interpolate linearly; beyond them they stay flat except
for a motorway point (steady 130 km/h: cruise ratio 1.05, little accelerating).

* ``cruise ratio`` = distance-weighted root-mean-square speed / average speed. Drag energy per
  metre is ``0.5 rho Cd A <v^2>`` with ``<v^2>`` averaged over distance, so the leg's *cruise
  speed* ``v_c = ratio * v_avg`` is exactly the speed that gives the cycle's drag energy.
* ``PKE`` (positive kinetic energy per metre, ``sum(max(0, d(v^2))) / distance``, m/s^2) is the
  standard drive-cycle metric of how much a driver accelerates. Read as stop-and-go, an urban leg
  makes ``n = PKE / v_c^2`` accelerations per metre from rest to the cruise speed (about 3 per km
  at 25 km/h).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Average speed of each WLTC 3b phase (low, middle, high, extra-high) and a motorway point, km/h.
PHASE_SPEED_KMH: FloatArray = np.array([18.9, 39.4, 56.5, 91.7, 130.0])
#: Distance-weighted RMS speed over average speed, per phase (see module docstring).
PHASE_CRUISE_RATIO: FloatArray = np.array([1.82, 1.35, 1.32, 1.19, 1.05])
#: Positive kinetic energy per metre of each phase, m/s^2.
PHASE_PKE_MPS2: FloatArray = np.array([0.413, 0.397, 0.274, 0.251, 0.10])


def cruise_speed_mps(avg_speed_mps: FloatArray) -> FloatArray:
    """The speed whose square, times the distance, gives the leg's drag energy."""
    kmh = avg_speed_mps * 3.6
    return np.asarray(avg_speed_mps * np.interp(kmh, PHASE_SPEED_KMH, PHASE_CRUISE_RATIO))


def pke_mps2(avg_speed_mps: FloatArray) -> FloatArray:
    """Kinetic energy per metre and per kilogram the driver puts in (twice), m/s^2."""
    return np.asarray(np.interp(avg_speed_mps * 3.6, PHASE_SPEED_KMH, PHASE_PKE_MPS2))


def accelerations_per_km(avg_speed_kmh: float) -> float:
    """Stop-and-go read of the PKE table: accelerations from rest to cruise speed per km."""
    v = np.asarray(avg_speed_kmh / 3.6, dtype=np.float64)
    vc = float(cruise_speed_mps(v))
    return float(pke_mps2(v)) * 1000.0 / vc**2 if vc > 0 else 0.0
