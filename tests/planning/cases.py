"""Small hand-made scenarios shared by the planner and checker tests, named after their quirk."""

from __future__ import annotations

from voltvan.domain import (
    Charger,
    ConsumptionParams,
    Depot,
    Fleet,
    Scenario,
    Stop,
    TimeWindow,
    Van,
    VehicleType,
)

H = 3600.0


def small_cold_van() -> VehicleType:
    """A van with a small battery, so that a 10 km trip out needs a charge on a cold day."""
    return VehicleType(
        id="small",
        battery_wh=12_000,
        mass_kg=1_600,
        payload_kg=700,
        volume_m3=4.0,
        max_dc_power_w=50_000,
        consumption=ConsumptionParams(),
    )


def cold_far_cluster() -> Scenario:
    """One small van at -10 °C; four stops about 14 km north; a DC charger next to them."""
    depot = Depot(id="D", lat=52.40, lon=13.40)
    stops = tuple(
        Stop(
            id=f"F{i}",
            lat=52.52 + 0.003 * i,
            lon=13.40 + 0.002 * i,
            time_windows=(TimeWindow(8 * H, 18 * H),),
            service_s=240,
            weight_kg=30,
            volume_m3=0.2,
        )
        for i in range(4)
    )
    charger = Charger(id="C1", lat=52.515, lon=13.395, power_w=50_000, current="DC")
    fleet = Fleet(
        depots=(depot,),
        vehicle_types=(small_cold_van(),),
        vans=(Van(id="V1", type_id="small", depot_id="D", start_soc=0.9),),
        chargers=(charger,),
        ambient_c=-10.0,
    )
    return Scenario(fleet=fleet, stops=stops, name="cold_far_cluster")


def with_hopeless_stops(base: Scenario, *, heavy: bool = True) -> Scenario:
    """``base`` plus one stop of each impossible kind: too heavy, window before shift, too far.

    The scenario reader already rejects a stop heavier than every van, so files leave it out.
    FAR lies 187 km from the depot: out of any van's reach, yet inside the 200 km beyond which
    the reader refuses a stop as misplaced, so it can go through files too.
    """
    extra = (
        *(
            [Stop(id="HEAVY", lat=52.521, lon=13.401, weight_kg=5_000, volume_m3=1.0)]
            if heavy
            else []
        ),
        Stop(
            id="DAWN",
            lat=52.522,
            lon=13.402,
            time_windows=(TimeWindow(3 * H, 4 * H),),
        ),
        Stop(id="FAR", lat=54.2, lon=13.4),
    )
    return Scenario(fleet=base.fleet, stops=base.stops + extra, name=base.name + "+hopeless")


def one_van_too_much_cargo() -> Scenario:
    """One van, five 500 kg stops: each fits, all together do not; one stop has two windows."""
    van_type = VehicleType(
        id="large", battery_wh=68_000, mass_kg=2_600, payload_kg=1_200, volume_m3=12.0
    )
    stops = tuple(
        Stop(
            id=f"S{i}",
            lat=52.52 + 0.005 * i,
            lon=13.40 + 0.004 * (i % 3),
            time_windows=(TimeWindow(8 * H, 12 * H), TimeWindow(14 * H, 17 * H))
            if i == 2
            else (TimeWindow(8 * H, 17 * H),),
            service_s=180,
            weight_kg=500,
            volume_m3=0.1 * i,
        )
        for i in range(1, 6)
    )
    fleet = Fleet(
        depots=(Depot(id="D", lat=52.52, lon=13.40),),
        vehicle_types=(van_type,),
        vans=(Van(id="V1", type_id="large", depot_id="D"),),
    )
    return Scenario(fleet=fleet, stops=stops, name="one_van_too_much_cargo")


def two_depots() -> Scenario:
    """Two depots 8 km apart, one van each, three stops around each depot."""
    van_type = VehicleType(
        id="large", battery_wh=68_000, mass_kg=2_600, payload_kg=1_200, volume_m3=12.0
    )
    depots = (Depot(id="DW", lat=52.52, lon=13.30), Depot(id="DE", lat=52.52, lon=13.42))
    stops = tuple(
        Stop(
            id=f"{d.id}-{i}",
            lat=d.lat + 0.004 * i,
            lon=d.lon + 0.003,
            time_windows=(TimeWindow(8 * H, 17 * H),),
            service_s=120,
            weight_kg=50,
            volume_m3=0.3,
        )
        for d in depots
        for i in range(1, 4)
    )
    fleet = Fleet(
        depots=depots,
        vehicle_types=(van_type,),
        vans=(
            Van(id="VW", type_id="large", depot_id="DW"),
            Van(id="VE", type_id="large", depot_id="DE"),
        ),
    )
    return Scenario(fleet=fleet, stops=stops, name="two_depots")


def cold_wait_for_window(start_soc: float = 0.9, *, charger: bool = False) -> Scenario:
    """One small van at -10 °C; S1 opens at 08:00 for a quarter of an hour, S2 next door only at
    09:30, so the van stands about an hour at S2 with the heating on (about 3 kWh). With
    ``charger``, a 50 kW DC charger C1 stands between the depot and the stops."""
    depot = Depot(id="D", lat=52.50, lon=13.40)
    windows = {"S1": TimeWindow(8 * H, 8.25 * H), "S2": TimeWindow(9.5 * H, 10 * H)}
    stops = tuple(
        Stop(
            id=sid,
            lat=52.505 + 0.002 * k,
            lon=13.40,
            time_windows=(tw,),
            service_s=240,
            weight_kg=30,
            volume_m3=0.2,
        )
        for k, (sid, tw) in enumerate(windows.items())
    )
    fleet = Fleet(
        depots=(depot,),
        vehicle_types=(small_cold_van(),),
        vans=(Van(id="V1", type_id="small", depot_id="D", start_soc=start_soc),),
        chargers=(Charger(id="C1", lat=52.503, lon=13.40, power_w=50_000, current="DC"),)
        if charger
        else (),
        ambient_c=-10.0,
    )
    return Scenario(fleet=fleet, stops=stops, name="cold_wait_for_window")
