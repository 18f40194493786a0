"""Starting Spark, for every voltvan job that runs on it (derived tables, planning a day).

The one place that starts a Spark session: ``local[2]`` unless told otherwise, nothing set when
spark-submit started this Python (the submit line chose the master and resources), and for a
local master the Python workers run this interpreter, so they import the voltvan the driver
does. pyspark is imported only when a session is asked for, so the rest of voltvan runs without
it; what each job needs on top (SQL settings, functions) its own package adds.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from voltvan.errors import VoltvanError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"

#: Settings for a local master only: no web UI, few shuffle partitions, quiet logs, and a
#: driver heap of 3 GB. Local mode runs everything in the driver's JVM, which grows to its heap
#: limit before collecting: with 6 GB the 10 M-row derive peaked at 7.3 GB resident; the job
#: spills what does not fit (the cached signals are MEMORY_AND_DISK, sorts spill), so a
#: smaller heap bounds memory rather than failing (``docs/scale.md``). Raise it with
#: ``--conf spark.driver.memory=8g`` when the machine has the room.
LOCAL_SETTINGS: Mapping[str, str] = {
    "spark.driver.memory": "3g",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.showConsoleProgress": "false",
}


class SparkMissing(VoltvanError):
    """pyspark (or Java) is not installed."""


class SparkUnavailable(VoltvanError):
    """Spark is installed but would not start: a master it cannot parse or reach, say."""


def error_line(message: str) -> str:
    """The error in a Spark failure's message: its last line before the JVM's stack."""
    lines = []
    for line in message.splitlines():
        if line.startswith("\tat ") or line.strip().startswith("SQLSTATE"):
            break
        if line.strip():
            lines.append(line.strip())
    found = lines[-1] if lines else message.strip()
    return found.split(" SQLSTATE: ")[0].strip()


def require_pyspark() -> None:
    """Fail with what to install when pyspark is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkMissing(
            "the Spark engine needs pyspark: pip install 'voltvan[spark]' (and Java 17+)"
        ) from None


def submitted() -> bool:
    """Whether spark-submit (or a notebook's cluster) started this Python: the JVM is there."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


def require_java() -> None:
    """Fail plainly before Spark would, with a page of gateway errors, for want of Java."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return
    if shutil.which("java") is None:
        where = f"JAVA_HOME={home} has no bin/java" if home else "no java on PATH, no JAVA_HOME"
        raise SparkMissing(f"the Spark engine needs Java 17+ ({where}): install a JDK or JRE 17+")


def spark_session(
    master: str | None = None, conf: Mapping[str, str] | None = None, *, app: str = "voltvan"
) -> SparkSession:
    """The active session, or a new one on ``master`` (default ``local[2]``; under
    spark-submit the master and resources come from the submit line, so none is set here).

    ``conf`` is applied after voltvan's local settings, so it overrides them.
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is None and not submitted():
        require_java()
    builder = SparkSession.builder.appName(app)
    chosen = master or (None if submitted() else DEFAULT_MASTER)
    if chosen is not None:
        builder = builder.master(chosen)
    local = chosen is not None and chosen.startswith("local")
    settings = dict(LOCAL_SETTINGS) if local else {}
    if local:
        # Python workers run this interpreter (its packages, voltvan's).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # py4j and pyspark errors: a page of JVM stack
        raise SparkUnavailable(
            f"Spark did not start on {chosen!r}: {error_line(str(exc))}"
        ) from None
    if local:
        session.sparkContext.setLogLevel("ERROR")
    return session


__all__ = [
    "DEFAULT_MASTER",
    "LOCAL_SETTINGS",
    "SparkMissing",
    "SparkUnavailable",
    "error_line",
    "require_java",
    "require_pyspark",
    "spark_session",
    "submitted",
]
