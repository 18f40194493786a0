"""Entry point for ``spark-submit`` and ``python -m voltvan.telemetry.spark``.

    python -m voltvan.telemetry.spark --data DIR [--day YYYY-MM-DD ...] [--master local[2]]
    spark-submit --master spark://host:7077 --py-files voltvan.zip \\
        "$(python -c 'import voltvan.telemetry.spark.__main__ as m; print(m.__file__)')" \\
        --data s3a://bucket/fleet

Under spark-submit the master and resources come from the submit line; ``--conf k=v`` adds
Spark settings (object-store credentials, memory). See ``docs/scale.md``.
"""

from __future__ import annotations

import argparse
import sys

from voltvan.errors import VoltvanError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m voltvan.telemetry.spark",
        description="(Re)build the derived tables (trips, stops, charging_sessions, "
        "daily_energy) of a telemetry lake on Spark.",
    )
    ap.add_argument("--data", required=True, help="lake folder or URI (s3a://, abfss://)")
    ap.add_argument("--day", action="append", help="only this UTC day (repeatable)")
    ap.add_argument("--master", help="Spark master (default local[2]; spark-submit's own)")
    ap.add_argument("--battery-wh", type=float, help="usable capacity of vans without NetCapacity")
    ap.add_argument(
        "--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting"
    )
    args = ap.parse_args(argv)
    from voltvan.telemetry.spark import derive_spark, spark_session
    from voltvan.telemetry.spark._lake import register_last_state

    conf = dict(kv.split("=", 1) for kv in args.conf)
    try:
        spark = spark_session(args.master, conf)
        caps = None
        if args.battery_wh is not None:  # for every van of the last known state
            register_last_state(spark, args.data)
            vans = spark.sql("SELECT DISTINCT vehicle_id FROM last_state").collect()
            caps = {str(r[0]): args.battery_wh for r in vans}
        summary = derive_spark(args.data, days=args.day, battery_wh=caps, spark=spark)
    except VoltvanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = ", ".join(f"{k} {v:,}" for k, v in summary.rows.items())
    print(f"{len(summary.days)} day(s): {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
