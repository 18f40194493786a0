"""The derived tables on Apache Spark, identical to the DuckDB path (``docs/scale.md``).

Needs the ``spark`` extra (``pip install 'voltvan[spark]'``) and Java 17+; nothing imports
pyspark before a job starts, so the rest of voltvan runs without it. Run it with
``voltvan derive --engine spark`` or ``spark-submit -m voltvan.telemetry.spark`` (see
``python -m voltvan.telemetry.spark --help``).
"""

from voltvan.spark import DEFAULT_MASTER as DEFAULT_MASTER
from voltvan.spark import SparkMissing as SparkMissing
from voltvan.spark import require_pyspark as require_pyspark
from voltvan.telemetry.spark._derive import SparkDeriveSummary as SparkDeriveSummary
from voltvan.telemetry.spark._derive import derive_spark as derive_spark
from voltvan.telemetry.spark._derive import derived_tables as derived_tables
from voltvan.telemetry.spark._health import health as health
from voltvan.telemetry.spark._session import spark_session as spark_session

__all__ = [
    "DEFAULT_MASTER",
    "SparkDeriveSummary",
    "SparkMissing",
    "derive_spark",
    "derived_tables",
    "health",
    "require_pyspark",
    "spark_session",
]
