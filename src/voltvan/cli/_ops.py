"""``voltvan ops publish`` and ``voltvan ops user add|list``: the operations store, by hand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from voltvan.cli._app import app, console, console_err
from voltvan.errors import InvalidInput

if TYPE_CHECKING:
    from voltvan.ops import OpsStore

ops_app = typer.Typer(
    help="The live day: publish plan versions, add drivers and dispatchers.", no_args_is_help=True
)
user_app = typer.Typer(help="Accounts of drivers and dispatchers.", no_args_is_help=True)
ops_app.add_typer(user_app, name="user")
app.add_typer(ops_app, name="ops")

Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The operations database: a SQLite file, sqlite:///FILE or "
        "postgresql://USER@HOST:PORT/DB (default: ops.sqlite in --data).",
    ),
]
Data = Annotated[
    Path,
    typer.Option("--data", help="Data directory (default SQLite file, photos and signatures)."),
]


def _open(db: str | None, data: Path) -> OpsStore:
    from voltvan.ops import open_ops

    return open_ops(db, data)


@ops_app.command("publish")
def publish(
    scenario: Annotated[Path, typer.Argument(help="Scenario folder the plan was made for.")],
    plan: Annotated[Path, typer.Option("--plan", help="plan.json to publish.")],
    db: Db = None,
    data: Data = Path("data"),
    day: Annotated[
        str | None,
        typer.Option("--day", help="The day, YYYY-MM-DD (default: the date in fleet.toml)."),
    ] = None,
    base_version: Annotated[
        int | None,
        typer.Option(
            "--base-version",
            min=1,
            help="The version this plan was built on; needed once the day has a plan.",
        ),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Who publishes (kept with the version).")] = "cli",
) -> None:
    """Publish a plan as the day's next version: drivers see it on their next sync."""
    from voltvan.cli._read import read_scenario_noting
    from voltvan.ops import check_day, details_of
    from voltvan.plan import Plan

    sc = read_scenario_noting(scenario)
    the_plan = Plan.read_json(plan)
    when = day or sc.fleet.date
    if not when:
        raise InvalidInput(
            "fleet.toml has no date: give the day with --day YYYY-MM-DD",
            file=scenario,
            field="date",
        )
    try:
        check_day(when)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="day") from None
    known = {s.id for s in sc.stops}
    for route in the_plan.routes:
        missing = [s for s in route.stop_ids if s not in known]
        if missing:
            raise InvalidInput(
                f"van {route.van_id} serves stop {missing[0]}, which the scenario does not have",
                file=plan,
                field="routes",
            )
    store = _open(db, data)
    try:
        version = store.publish(
            when, the_plan, [details_of(s) for s in sc.stops], base_version=base_version, by=by
        )
    finally:
        store.close()
    console.print(
        f"published {plan} as version {version} of {when} "
        f"({len(the_plan.routes)} routes, {the_plan.num_stops_served} stops)",
        highlight=False,
    )


@user_app.command("add")
def user_add(
    role: Annotated[str, typer.Option("--role", help="driver or dispatcher.")],
    van: Annotated[
        str | None, typer.Option("--van", help="The van a driver drives (drivers only).")
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="Account name (default for a driver: driver-VAN)."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Issue a new secret for an existing account.")
    ] = False,
    db: Db = None,
    data: Data = Path("data"),
) -> None:
    """Add an account; print its secret once (stdout): only its hash is stored."""
    if name is None:
        if role != "driver" or van is None:
            raise InvalidInput("give the account a --name", field="name")
        name = f"driver-{van}"
    store = _open(db, data)
    try:
        secret = store.add_user(name, role, van, replace=replace)
    finally:
        store.close()
    print(secret)
    console_err.print(
        f"{role} {name!r} added (only the secret's SHA-256 is stored: hand it over now, "
        "it cannot be shown again)",
        highlight=False,
    )


@user_app.command("list")
def user_list(db: Db = None, data: Data = Path("data")) -> None:
    """The accounts: name, role and van (never their secrets)."""
    store = _open(db, data)
    try:
        users = store.users()
    finally:
        store.close()
    for user in users:
        console.print(f"{user.name}\t{user.role}\t{user.van_id or '-'}", highlight=False)
