"""Telemetry in: the VSS signal catalog, message validation, MQTT and the vehicles' tokens.

The bottom of telemetry: nothing here imports the store or analytics. The ingest worker and the log
reader hand batches to a :class:`Sink` (the store implements it), so they can run against a fake.
"""

from voltvan.telemetry.ingest._batch import REJECT_REASONS as REJECT_REASONS
from voltvan.telemetry.ingest._batch import Batch as Batch
from voltvan.telemetry.ingest._batch import Context as Context
from voltvan.telemetry.ingest._batch import Reject as Reject
from voltvan.telemetry.ingest._batch import RejectReason as RejectReason
from voltvan.telemetry.ingest._batch import now_us as now_us
from voltvan.telemetry.ingest._fleet import Tokens as Tokens
from voltvan.telemetry.ingest._fleet import hash_token as hash_token
from voltvan.telemetry.ingest._fleet import load_fleet_ids as load_fleet_ids
from voltvan.telemetry.ingest._fleet import load_tokens as load_tokens
from voltvan.telemetry.ingest._import import DEFAULT_TZ as RSK_TWIZY_TZ
from voltvan.telemetry.ingest._import import LogFile as LogFile
from voltvan.telemetry.ingest._import import find_logs as find_logs
from voltvan.telemetry.ingest._import import read_rsk_twizy_csv as read_rsk_twizy_csv
from voltvan.telemetry.ingest._mqtt import IngestStats as IngestStats
from voltvan.telemetry.ingest._mqtt import IngestWorker as IngestWorker
from voltvan.telemetry.ingest._mqtt_params import MqttParams as MqttParams
from voltvan.telemetry.ingest._mqtt_params import parse_mqtt_url as parse_mqtt_url
from voltvan.telemetry.ingest._mqtt_params import tls_context as tls_context
from voltvan.telemetry.ingest._mqtt_retire import RetireError as RetireError
from voltvan.telemetry.ingest._mqtt_retire import RetireResult as RetireResult
from voltvan.telemetry.ingest._mqtt_retire import retire_client as retire_client
from voltvan.telemetry.ingest._parse import MAX_PAYLOAD_BYTES as MAX_PAYLOAD_BYTES
from voltvan.telemetry.ingest._parse import parse_message as parse_message
from voltvan.telemetry.ingest._publisher import Publisher as Publisher
from voltvan.telemetry.ingest._publisher import PublishError as PublishError
from voltvan.telemetry.ingest._samples import add_samples as add_samples
from voltvan.telemetry.ingest._signals import AIR_TEMPERATURE as AIR_TEMPERATURE
from voltvan.telemetry.ingest._signals import ALTITUDE as ALTITUDE
from voltvan.telemetry.ingest._signals import BATTERY_POWER as BATTERY_POWER
from voltvan.telemetry.ingest._signals import ENERGY_KWH as ENERGY_KWH
from voltvan.telemetry.ingest._signals import IS_CHARGING as IS_CHARGING
from voltvan.telemetry.ingest._signals import LATITUDE as LATITUDE
from voltvan.telemetry.ingest._signals import LONGITUDE as LONGITUDE
from voltvan.telemetry.ingest._signals import ODOMETER as ODOMETER
from voltvan.telemetry.ingest._signals import SOC as SOC
from voltvan.telemetry.ingest._signals import SPEED as SPEED
from voltvan.telemetry.ingest._signals import VSS_VERSION as VSS_VERSION
from voltvan.telemetry.ingest._signals import Signal as Signal
from voltvan.telemetry.ingest._signals import get_signal as get_signal
from voltvan.telemetry.ingest._signals import signal_catalog as signal_catalog
from voltvan.telemetry.ingest._signals import signal_codes as signal_codes
from voltvan.telemetry.ingest._signals import signal_names as signal_names
from voltvan.telemetry.ingest._sink import Sink as Sink
from voltvan.telemetry.ingest._sink import WriteResult as WriteResult
from voltvan.telemetry.ingest._sink import write_samples as write_samples
from voltvan.telemetry.ingest._token_file import add_token as add_token
from voltvan.telemetry.ingest._topics import TOPIC_FILTER as TOPIC_FILTER
from voltvan.telemetry.ingest._topics import is_vehicle_id as is_vehicle_id
from voltvan.telemetry.ingest._topics import topic_for as topic_for
from voltvan.telemetry.ingest._topics import vehicle_from_topic as vehicle_from_topic

__all__ = [
    "AIR_TEMPERATURE",
    "ALTITUDE",
    "BATTERY_POWER",
    "ENERGY_KWH",
    "IS_CHARGING",
    "LATITUDE",
    "LONGITUDE",
    "MAX_PAYLOAD_BYTES",
    "ODOMETER",
    "REJECT_REASONS",
    "RSK_TWIZY_TZ",
    "SOC",
    "SPEED",
    "TOPIC_FILTER",
    "VSS_VERSION",
    "Batch",
    "Context",
    "IngestStats",
    "IngestWorker",
    "LogFile",
    "MqttParams",
    "PublishError",
    "Publisher",
    "Reject",
    "RejectReason",
    "RetireError",
    "RetireResult",
    "Signal",
    "Sink",
    "Tokens",
    "WriteResult",
    "add_samples",
    "add_token",
    "find_logs",
    "get_signal",
    "hash_token",
    "is_vehicle_id",
    "load_fleet_ids",
    "load_tokens",
    "now_us",
    "parse_message",
    "parse_mqtt_url",
    "read_rsk_twizy_csv",
    "retire_client",
    "signal_catalog",
    "signal_codes",
    "signal_names",
    "tls_context",
    "topic_for",
    "vehicle_from_topic",
    "write_samples",
]
