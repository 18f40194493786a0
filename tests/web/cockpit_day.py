"""A small Berlin day for the cockpit's browser tests: two vans, real-looking stops, a charge stop.

Built in code (no solver run) so the test knows every stop, time and state of charge: V01 has
eight stops and a public charge stop after the fourth, V02 five stops. S14 is known to the day
but on no route until :func:`replanned`.
"""

from __future__ import annotations

import struct
import zlib

from voltvan.ops import StopDetails
from voltvan.plan import Plan, Route, Visit

BATTERY_WH = 64_000.0
DEPOT = ("D1", 52.4990, 13.4180)
CHARGER = ("CH-Moritzplatz", 52.5036, 13.4104)

_STREETS = [
    ("Bäckerei Aydın", "Oranienstraße 12, 10999 Berlin", "Side door, ring twice"),
    ("Kita Sonnenschein", "Wrangelstraße 40, 10997 Berlin", "Deliver before 10:00"),
    ("M. Kowalski", "Skalitzer Straße 88, 10997 Berlin", ""),
    ("Buchhandlung Kreuzberg", "Bergmannstraße 5, 10961 Berlin", "Ask at the till"),
    ("Praxis Dr. Weber", "Gneisenaustraße 27, 10961 Berlin", "3rd floor, no lift"),
    ("L. Nguyen", "Graefestraße 9, 10967 Berlin", ""),
    ("Fahrradladen Ost", "Wiener Straße 63, 10999 Berlin", "Parcels to the workshop"),
    ("S. Öztürk", "Reichenberger Straße 120, 10999 Berlin", "Leave with neighbour 2L"),
    ("Café Lindner", "Paul-Lincke-Ufer 30, 10999 Berlin", ""),
    ("A. Müller", "Manteuffelstraße 77, 10999 Berlin", "Dog in the yard"),
    ("Blumen Berger", "Adalbertstraße 4, 10999 Berlin", ""),
    ("J. Schulz", "Muskauer Straße 22, 10997 Berlin", "Buzzer broken: call"),
    ("Optik Hahn", "Kottbusser Damm 70, 10967 Berlin", ""),
    ("Weinladen Kiez", "Dresdener Straße 14, 10999 Berlin", "Urgent: added during the day"),
]
_POINTS = [
    (52.5010, 13.4200),
    (52.4995, 13.4310),
    (52.4985, 13.4265),
    (52.4890, 13.3930),
    (52.4912, 13.3975),
    (52.4925, 13.4180),
    (52.4975, 13.4350),
    (52.4960, 13.4300),
    (52.4938, 13.4295),
    (52.5015, 13.4330),
    (52.5030, 13.4185),
    (52.5042, 13.4270),
    (52.4905, 13.4225),
    (52.5025, 13.4150),
]

V01_STOPS = [f"S{i:02d}" for i in range(1, 9)]
V02_STOPS = [f"S{i:02d}" for i in range(9, 14)]


def _visit(kind: str, loc: str, lat: float, lon: float, t_s: float, energy_wh: float) -> Visit:
    stay = 300.0 if kind == "stop" else 1200.0 if kind == "charge" else 0.0
    return Visit(
        kind,  # type: ignore[arg-type]
        loc,
        lat,
        lon,
        t_s,
        t_s,
        t_s + stay,
        100.0,
        0.5,
        energy_wh,
        energy_wh / BATTERY_WH,
        distance_from_prev_m=1500.0,
        energy_from_prev_wh=1_400.0,
        charge_wh=8_000.0 if kind == "charge" else 0.0,
    )


def _route(van: str, stops: list[str], start_soc: float, charge_after: int | None) -> Route:
    energy = BATTERY_WH * start_soc
    t = 8 * 3600.0
    visits = [_visit("start", DEPOT[0], DEPOT[1], DEPOT[2], t, energy)]
    for i, s in enumerate(stops):
        t += 1200
        energy -= 1_400
        lat, lon = _POINTS[int(s[1:]) - 1]
        visits.append(_visit("stop", s, lat, lon, t, energy))
        if charge_after == i:
            t += 900
            energy -= 1_400
            visits.append(_visit("charge", CHARGER[0], CHARGER[1], CHARGER[2], t, energy))
            energy += 8_000
            t += 1200
    t += 1200
    energy -= 1_400
    visits.append(_visit("end", DEPOT[0], DEPOT[1], DEPOT[2], t, energy))
    used = visits[0].energy_wh - min(v.energy_wh for v in visits)
    reserve = 0.1 * BATTERY_WH
    return Route(van, "large", DEPOT[0], tuple(visits), 20_000.0, used, 8_000.0, used + reserve)


def cockpit_day() -> tuple[Plan, list[StopDetails]]:
    plan = Plan(
        scenario="kreuzberg",
        routes=(_route("V01", V01_STOPS, 0.9, 3), _route("V02", V02_STOPS, 0.8, None)),
    )
    details = []
    for i, (name, address, note) in enumerate(_STREETS):
        lat, lon = _POINTS[i]
        start = 8 * 3600 + (i % 4) * 1800
        details.append(
            StopDetails(
                id=f"S{i + 1:02d}",
                lat=lat,
                lon=lon,
                time_windows=[(start, start + 4 * 3600)],
                service_s=300,
                weight_kg=2.5 + i * 1.7,
                volume_m3=0.02 + 0.01 * i,
                parcels=1 + i % 4,
                name=name,
                address=address,
                note=note,
            )
        )
    return plan, details


def replanned() -> Plan:
    """Version 2: V02 swaps its first two stops, drops S13 and gets the new S14; V01 as it was."""
    v1, _ = cockpit_day()
    v02 = _route("V02", ["S10", "S09", "S14", "S11", "S12"], 0.8, None)
    return Plan(scenario="kreuzberg", routes=(v1.routes[0], v02))


def png(width: int = 40, height: int = 30) -> bytes:
    """A real (decodable) PNG of a blue-grey gradient: the "photo" a test uploads."""
    rows = b"".join(
        b"\x00" + bytes(c for x in range(width) for c in (40 + x * 4, 80 + y * 4, 160))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
