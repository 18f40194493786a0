"""Starting Spark: plain errors for a missing Java and for a failed job's page of JVM stack."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from voltvan.spark import SparkMissing, error_line, require_java, require_pyspark

#: The shape of a failed job's message (pyspark 4): worker traceback, SQL state, JVM stack.
JOB_FAILED = """An exception was thrown from the Python worker:
Traceback (most recent call last):
  File "/venv/pyspark/worker.py", line 4327, in invoke_udf
    run_process()
  File "/venv/pyspark/serializers.py", line 260, in dump_stream
    vs = list(itertools.islice(iterator, batch))
ModuleNotFoundError: No module named 'voltvan'
 SQLSTATE: 38000
\tat org.apache.spark.api.python.BasePythonRunner$ReaderIterator.handlePythonException(x)
\tat org.apache.spark.api.python.PythonRunner$$anon$5.read(PythonRunner.scala:1642)
"""


def test_a_failed_jobs_error_is_its_python_error_line() -> None:
    """The last Python line, without the SQL state or the JVM's stack."""
    assert error_line(JOB_FAILED) == "ModuleNotFoundError: No module named 'voltvan'"
    assert error_line("Could not parse Master URL: 'nowhere'") == (
        "Could not parse Master URL: 'nowhere'"
    )


def test_no_java_is_a_plain_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without java on PATH and without JAVA_HOME: SparkMissing saying what to install."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(SparkMissing, match="needs Java 17"):
        require_java()
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(SparkMissing, match="has no bin/java"):
        require_java()
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "java").write_text("")
    require_java()  # a JAVA_HOME with bin/java will do


def test_no_pyspark_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(SparkMissing, match=r"pip install 'voltvan\[spark\]'"):
        require_pyspark()
