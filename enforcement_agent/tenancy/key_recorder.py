"""Record every key written to a Redis server while it runs (keyspace notifications).

The namespace audit checks each recorded key against its tenant's prefix, including keys that
were written and gone again by the time anyone looks (released slots, expired cache entries).
Needs the admin connection (it turns ``notify-keyspace-events`` on for the run).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import redis

_CHANNEL = "__keyspace@*__:*"
_MAX_KEYS = 200_000


class KeyRecorder:
    def __init__(self, admin: redis.Redis, out: Path | None = None) -> None:
        self._admin = admin
        self._out = out  # rewritten as new keys appear (at most twice a second) and on stop
        self._written = 0
        self._last_write = 0.0
        self._keys: set[str] = set()
        self._lock = threading.Lock()
        self._pubsub: Any = None
        self._thread: threading.Thread | None = None
        self._previous = ""

    def start(self) -> KeyRecorder:
        conf = self._admin.config_get("notify-keyspace-events")
        self._previous = (
            str(conf.get("notify-keyspace-events", "")) if isinstance(conf, dict) else ""
        )
        self._admin.config_set("notify-keyspace-events", "KA")
        self._pubsub = self._admin.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
        self._pubsub.psubscribe(_CHANNEL)
        self._thread = threading.Thread(target=self._run, name="redis-key-recorder", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while self._pubsub is not None:
            try:
                msg = self._pubsub.get_message(timeout=0.2)
            except (redis.RedisError, ValueError, AttributeError):
                return
            if msg and msg.get("type") == "pmessage":
                channel = msg["channel"]
                text = (
                    channel.decode("utf-8", "replace")
                    if isinstance(channel, bytes)
                    else str(channel)
                )
                key = text.split(":", 1)[1] if ":" in text else text
                with self._lock:
                    if len(self._keys) < _MAX_KEYS:
                        self._keys.add(key)
            if self._out is not None and time.monotonic() - self._last_write > 0.5:
                self._write()

    def _write(self) -> None:
        keys = self.keys()
        self._last_write = time.monotonic()
        if self._out is None or len(keys) == self._written:
            return
        self._out.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._out.with_suffix(".tmp")
        tmp.write_text(json.dumps({"keys": sorted(keys), "recorded_at": time.time()}))
        tmp.replace(self._out)
        self._written = len(keys)

    def keys(self) -> set[str]:
        with self._lock:
            return set(self._keys)

    def stop(self) -> set[str]:
        """Stop recording (after a moment for in-flight notifications); write the file."""
        time.sleep(0.3)
        ps, self._pubsub = self._pubsub, None
        if self._thread is not None:
            self._thread.join(5)
        if ps is not None:
            ps.close()
        try:
            self._admin.config_set("notify-keyspace-events", self._previous)
        except redis.RedisError:
            pass
        self._write()
        return self.keys()
