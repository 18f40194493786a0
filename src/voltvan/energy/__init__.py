"""Energy model: battery energy of legs, dwells and speed traces, and its calibration.

Physics and sources are in ``docs/energy.md``. Lower layers only: this package imports the
domain and nothing above it.
"""

from voltvan.energy._crossval import CrossValidation as CrossValidation
from voltvan.energy._crossval import HeldOut as HeldOut
from voltvan.energy._crossval import cross_validate as cross_validate
from voltvan.energy._drive import accelerations_per_km as accelerations_per_km
from voltvan.energy._fit import FIT_BOUNDS as FIT_BOUNDS
from voltvan.energy._fit import FitResult as FitResult
from voltvan.energy._fit import ObservedTrip as ObservedTrip
from voltvan.energy._fit import fit_consumption as fit_consumption
from voltvan.energy._fit import predict_trip_wh as predict_trip_wh
from voltvan.energy._physics import DRIVER_KG as DRIVER_KG
from voltvan.energy._physics import DWELL_HVAC_FRACTION as DWELL_HVAC_FRACTION
from voltvan.energy._physics import air_density_kg_m3 as air_density_kg_m3
from voltvan.energy._physics import auxiliary_power_w as auxiliary_power_w
from voltvan.energy._physics import dwell_energy_wh as dwell_energy_wh
from voltvan.energy._physics import hvac_power_w as hvac_power_w
from voltvan.energy._physics import leg_energy_matrix_wh as leg_energy_matrix_wh
from voltvan.energy._physics import leg_energy_wh as leg_energy_wh
from voltvan.energy._physics import trace_energy_wh as trace_energy_wh
from voltvan.energy._physics import vehicle_mass_kg as vehicle_mass_kg
from voltvan.energy._rsk import clean_altitude_m as clean_altitude_m
from voltvan.energy._rsk import read_rsk_pieces as read_rsk_pieces
from voltvan.energy._rsk import read_rsk_trip as read_rsk_trip
from voltvan.energy._rsk import split_trip as split_trip

__all__ = [
    "DRIVER_KG",
    "DWELL_HVAC_FRACTION",
    "FIT_BOUNDS",
    "CrossValidation",
    "FitResult",
    "HeldOut",
    "ObservedTrip",
    "accelerations_per_km",
    "air_density_kg_m3",
    "auxiliary_power_w",
    "clean_altitude_m",
    "cross_validate",
    "dwell_energy_wh",
    "fit_consumption",
    "hvac_power_w",
    "leg_energy_matrix_wh",
    "leg_energy_wh",
    "predict_trip_wh",
    "read_rsk_pieces",
    "read_rsk_trip",
    "split_trip",
    "trace_energy_wh",
    "vehicle_mass_kg",
]
