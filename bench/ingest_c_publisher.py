"""The ingest benchmark's C load generator: libmosquitto, compiled at run time with gcc.

Python publishers would be the bottleneck and measure themselves rather than the consumers; a
small C publisher sends the same pre-built messages at the broker's pace. It is built in the
run's temporary folder so that no binary lives in the repository, and the benchmark falls back to
the Python publishers when gcc or libmosquitto-dev is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ingest_stream import Stream, message, van_id

C_PUBLISHER = r"""
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile long acked = 0;
static volatile int connected = 0;

static void on_connect(struct mosquitto *m, void *u, int rc) {
    (void)m; (void)u; connected = rc == 0 ? 1 : -1;
}
static void on_publish(struct mosquitto *m, void *u, int mid) {
    (void)m; (void)u; (void)mid; acked++;
}

/* argv: port, file of "topic<TAB>payload" lines. Prints "ready" once connected, publishes
   everything with QoS 1 when a byte arrives on stdin, exits once every PUBACK is in. */
int main(int argc, char **argv) {
    if (argc != 3) return 2;
    FILE *f = fopen(argv[2], "rb");
    if (!f) return 3;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(size + 1);
    if (fread(buf, 1, size, f) != (size_t)size) return 4;
    fclose(f);
    long n = 0;
    for (long i = 0; i < size; i++) n += buf[i] == '\n';
    char **topic = malloc(n * sizeof *topic), **payload = malloc(n * sizeof *payload);
    int *len = malloc(n * sizeof *len);
    char *p = buf;
    for (long i = 0; i < n; i++) {
        char *tab = strchr(p, '\t'), *nl = strchr(tab, '\n');
        *tab = 0; *nl = 0;
        topic[i] = p; payload[i] = tab + 1; len[i] = (int)(nl - tab - 1);
        p = nl + 1;
    }
    mosquitto_lib_init();
    struct mosquitto *m = mosquitto_new(NULL, 1, NULL);
    mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    mosquitto_max_inflight_messages_set(m, 1000);
    mosquitto_connect_callback_set(m, on_connect);
    mosquitto_publish_callback_set(m, on_publish);
    if (mosquitto_connect(m, "127.0.0.1", atoi(argv[1]), 60) != MOSQ_ERR_SUCCESS) return 5;
    mosquitto_loop_start(m);
    while (!connected) usleep(1000);
    if (connected < 0) return 6;
    printf("ready\n");
    fflush(stdout);
    char go;
    if (read(0, &go, 1) != 1) return 7;
    for (long i = 0; i < n; i++) {
        int rc;
        while ((rc = mosquitto_publish(m, NULL, topic[i], len[i], payload[i], 1, 0))
               == MOSQ_ERR_NOMEM)
            usleep(100);
        if (rc != MOSQ_ERR_SUCCESS) return 8;
    }
    while (acked < n) usleep(500);
    mosquitto_disconnect(m);
    mosquitto_loop_stop(m, 0);
    mosquitto_destroy(m);
    mosquitto_lib_cleanup();
    return 0;
}
"""


def build_c_publisher(folder: Path) -> Path | None:
    """Compile the C publisher against libmosquitto; None (use Python) when that cannot work.

    Built here at run time so that no binary lives in the repository; needs gcc and
    Debian's libmosquitto-dev.
    """
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        return None
    src, exe = folder / "publisher.c", folder / "publisher"
    src.write_text(C_PUBLISHER)
    done = subprocess.run(
        [gcc, "-O2", "-o", str(exe), str(src), "-lmosquitto"], capture_output=True, text=True
    )
    if done.returncode != 0:
        print("C publisher not built, using Python publishers:", done.stderr.strip()[-300:])
        return None
    return exe


def write_payload_files(folder: Path, stream: Stream, parts: int) -> list[Path]:
    """The same messages, in the same order, that the Python publishers send: one file a part."""
    files = []
    for part in range(parts):
        path = folder / f"payloads-{part}.txt"
        with path.open("wb") as fh:
            for w in range(stream.windows):
                for v in range(part, stream.vans, parts):
                    topic = f"voltvan/v1/vehicles/{van_id(v, stream.vans)}/signals"
                    fh.write(topic.encode() + b"\t" + message(stream, v, w) + b"\n")
        files.append(path)
    return files


@dataclass
class CPublishers:
    """The compiled publisher and its pre-built payload files (one per publisher process)."""

    exe: Path
    files: list[Path]


class CRun:
    """Running C publishers, joined like the multiprocessing ones; keeps their CPU time."""

    def __init__(self, procs: list[subprocess.Popen[bytes]]) -> None:
        self.procs = procs
        self.cpu_s = 0.0

    def join(self) -> None:
        for p in self.procs:
            if p.returncode is None:
                _, status, usage = os.wait4(p.pid, 0)
                p.returncode = os.waitstatus_to_exitcode(status)
                self.cpu_s += usage.ru_utime + usage.ru_stime
                if p.returncode != 0:
                    raise RuntimeError(f"C publisher exited with {p.returncode}")
