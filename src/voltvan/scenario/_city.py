"""City frames for generated delivery days: real coordinates, neighbourhoods and their density.

Berlin is the default frame: the area inside the outer districts (about 24 km x 28 km), with
neighbourhood centres at the real district cores (WGS84, rounded to 0.001°) and relative delivery
densities that fall from the inner-city districts (Mitte, Prenzlauer Berg, Kreuzberg) towards the
outer ones, in line with Berlin's population density by district (Amt für Statistik
Berlin-Brandenburg). The depot sits in the Marienfelde industrial area at the southern city edge,
where parcel carriers do run depots.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """A cluster of deliveries: centre, relative weight and spread (1-sigma radius in m)."""

    name: str
    lat: float
    lon: float
    weight: float
    spread_m: float
    block_m: float


@dataclass(frozen=True, slots=True)
class CityFrame:
    """Where a generated day takes place; every generated point lies inside the box."""

    name: str
    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float
    depot_name: str
    depot_lat: float
    depot_lon: float
    neighbourhoods: tuple[Neighbourhood, ...]

    def contains(self, lat: float, lon: float) -> bool:
        return self.lat_min <= lat <= self.lat_max and self.lon_min <= lon <= self.lon_max


BERLIN = CityFrame(
    name="berlin",
    lat_min=52.40,
    lat_max=52.62,
    lon_min=13.20,
    lon_max=13.60,
    depot_name="Berlin-Marienfelde depot",
    depot_lat=52.418,
    depot_lon=13.372,
    neighbourhoods=(
        # name, lat, lon, weight, spread (m), street block (m): denser centre, wider outskirts
        Neighbourhood("Mitte", 52.520, 13.405, 1.00, 1_100, 90),
        Neighbourhood("Prenzlauer Berg", 52.539, 13.424, 1.00, 1_000, 90),
        Neighbourhood("Kreuzberg", 52.497, 13.411, 0.95, 1_000, 90),
        Neighbourhood("Friedrichshain", 52.515, 13.454, 0.90, 1_000, 100),
        Neighbourhood("Neukölln", 52.481, 13.435, 0.85, 1_200, 100),
        Neighbourhood("Schöneberg", 52.483, 13.355, 0.80, 1_200, 100),
        Neighbourhood("Charlottenburg", 52.510, 13.300, 0.75, 1_400, 110),
        Neighbourhood("Moabit", 52.530, 13.342, 0.65, 1_100, 110),
        Neighbourhood("Wedding", 52.550, 13.366, 0.65, 1_200, 110),
        Neighbourhood("Tempelhof", 52.466, 13.385, 0.45, 1_500, 130),
        Neighbourhood("Steglitz", 52.457, 13.322, 0.45, 1_600, 130),
        Neighbourhood("Pankow", 52.569, 13.402, 0.40, 1_700, 140),
        Neighbourhood("Weißensee", 52.553, 13.466, 0.35, 1_600, 140),
        Neighbourhood("Lichtenberg", 52.516, 13.499, 0.45, 1_600, 140),
        Neighbourhood("Treptow", 52.487, 13.470, 0.35, 1_700, 140),
    ),
)
"""Berlin inside the outer districts; coordinates of district centres (OpenStreetMap)."""
