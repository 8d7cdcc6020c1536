"""Drills: inject the fault a runbook covers, wait for its alert, run the runbook, verify.

Each drill starts its own loopback world — a `gonogo serve` worker with a seeded home, the
stand-in connector provider, a Prometheus where the drill needs one — drives representative
traffic through it, and watches it with the real alert pipeline (:mod:`assets.operations.
monitor`, time-compressed by ``scale``). Then:

1. **inject** the fault (kill the worker, fill its state volume, kill Prometheus, make the
   connector provider fail, roll out a bad policy release);
2. **detect**: wait until an alert the drill's runbook serves fires → time to detect (TTD);
3. **mitigate**: execute the runbook's mitigation steps, in order, as written (a step marked
   ``restart`` brings back a process with its command) → time to mitigate (TTM);
4. **verify**: execute its verification steps, and wait until the alerts resolve (the
   rollback drill also checks that new decisions cite the old release's policy hash) → time
   to recover (TTR).

Every step's command, exit code, duration and (redacted) output is kept. A drill is
``completed`` only when all four phases succeed; otherwise ``failed`` with the reason, or
``error`` when the drill could not be set up (e.g. no permission to mount a small volume).
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from assets.operations.client import CallResult, GatewayClient, Target
from assets.operations.mix import Mix
from assets.operations.monitor import AlertMonitor
from assets.operations.releases import Releases, policy_versions
from assets.operations.runbooks import Runbook, RunbookSet, Step
from assets.operations.soak import AgentSpec, Traffic
from assets.operations.target import (
    HOST,
    Process,
    ServeSpec,
    TargetError,
    Worker,
    free_port,
    scrape,
    start_process,
    wait_http,
)
from assets.slo.ops import OpsConfig
from assets.slo.prom_source import reachable
from assets.slo.spec import SLO


@dataclass(frozen=True)
class DrillSpec:
    name: str
    kind: str  # incident | rollback
    summary: str
    scale: float
    rate: float  # calls per second through the worker
    weights: Mapping[str, float]
    warmup_s: float = 8.0
    tenants: tuple[tuple[str, str], ...] = (("acme", "contributor"),)
    detect_timeout_s: float = 120.0
    recover_timeout_s: float = 180.0


_EVERYDAY = {"everyday": 0.9, "sensitive": 0.05, "hostile": 0.05}
DRILLS: dict[str, DrillSpec] = {
    "worker-killed": DrillSpec(
        "worker-killed",
        "incident",
        "SIGKILL the gateway worker; its heartbeat goes silent",
        scale=60,
        rate=3,
        weights=_EVERYDAY,
        warmup_s=5,
    ),
    "spool-disk-full": DrillSpec(
        "spool-disk-full",
        "incident",
        "a runaway log fills the worker's state volume; decisions cannot be recorded",
        scale=60,
        rate=4,
        weights=_EVERYDAY,
    ),
    "prometheus-down": DrillSpec(
        "prometheus-down",
        "incident",
        "SIGKILL the Prometheus that scrapes the worker (the SLI source)",
        scale=60,
        rate=2,
        weights=_EVERYDAY,
        warmup_s=5,
    ),
    "connector-provider-failing": DrillSpec(
        "connector-provider-failing",
        "incident",
        "the connectors' provider answers 503 to every call",
        scale=30,
        # Allowed GitHub calls stay under the connector's 60/min rate limit (a limited call
        # is a failure too, and would keep the alert firing after the failover).
        rate=4,
        weights={"everyday": 0.6, "connector": 0.4},
        tenants=(("acme", "maintainer"),),
        warmup_s=10,
    ),
    # The denial band compares the last hour with the day before it, with >= 50 calls in each:
    # at 360x an hour is 10 s, so ~8 calls/s fill both within the warm-up (at 720x the 5 s
    # window needs more calls per second than a loaded 2-core machine answers).
    "bad-policy-rollout": DrillSpec(
        "bad-policy-rollout",
        "rollback",
        "roll out a policy release that freezes builds and tests for a tenant; roll back by hash",
        scale=360,
        rate=8,
        # Everyday work only: the baseline denies nothing, so the band's floor is the
        # reference and a stray hostile call cannot look like a spike before the rollout.
        weights={"everyday": 1.0},
        warmup_s=14,
    ),
}


def scale_for_volume(
    rps: float, window: timedelta, min_events: int, lo: float = 60.0, hi: float = 720.0
) -> float:
    """The time compression at which ``window`` holds about twice ``min_events`` calls when
    ``rps`` calls per second arrive (so an alert that needs that many can be judged)."""
    if rps <= 0:
        return lo
    window_real = 2.0 * min_events / rps
    return max(lo, min(hi, window.total_seconds() / window_real))


class DrillSetupError(RuntimeError):
    """The drill could not build its world (the message says what is missing)."""


@dataclass
class StepResult:
    section: str
    idx: int
    step: str
    command: str
    exit_code: int | None
    ok: bool
    started_at: datetime
    duration_s: float
    output: str = ""
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["started_at"] = self.started_at.isoformat()
        return d


@dataclass
class DrillResult:
    drill_id: str
    name: str
    kind: str
    runbook: str
    runbook_path: str
    runbook_hash: str
    status: str
    reason: str
    started_at: datetime
    ended_at: datetime
    scale: float
    fault_at: datetime | None = None
    detected_at: datetime | None = None
    mitigated_at: datetime | None = None
    recovered_at: datetime | None = None
    steps: list[StepResult] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[dict[str, Any]] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    def _since_fault(self, t: datetime | None) -> float | None:
        if t is None or self.fault_at is None:
            return None
        return round((t - self.fault_at).total_seconds(), 3)

    @property
    def ttd_s(self) -> float | None:
        return self._since_fault(self.detected_at)

    @property
    def ttm_s(self) -> float | None:
        return self._since_fault(self.mitigated_at)

    @property
    def ttr_s(self) -> float | None:
        return self._since_fault(self.recovered_at)

    @property
    def completed(self) -> bool:
        return self.status == "completed"

    def to_json(self) -> dict[str, Any]:
        def iso(t: datetime | None) -> str | None:
            return t.isoformat() if t else None

        return {
            "drill_id": self.drill_id,
            "name": self.name,
            "kind": self.kind,
            "runbook": self.runbook,
            "runbook_path": self.runbook_path,
            "runbook_hash": self.runbook_hash,
            "status": self.status,
            "reason": self.reason,
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "fault_at": iso(self.fault_at),
            "detected_at": iso(self.detected_at),
            "mitigated_at": iso(self.mitigated_at),
            "recovered_at": iso(self.recovered_at),
            "ttd_s": self.ttd_s,
            "ttm_s": self.ttm_s,
            "ttr_s": self.ttr_s,
            "scale": self.scale,
            "steps": [s.to_json() for s in self.steps],
            "alerts": self.alerts,
            "incidents": self.incidents,
            "detail": self.detail,
        }


@dataclass
class Harness:
    """What the drill needs from the layers above it (the CLI hands these in)."""

    gonogo: Sequence[str]  # how to run gonogo, e.g. [sys.executable, "-m", "gonogo"]
    mix: Mix
    slos: Sequence[SLO]
    ops: OpsConfig
    runbooks: RunbookSet
    plan_dir: Path  # its policies are the release the drills start from
    work_dir: Path  # where each drill keeps its world and logs
    prepare_home: Callable[[Path, Sequence[str], Mapping[str, str]], None]
    serve_args: Callable[[str, str], list[str]] = lambda tenant, role: []
    redact: Callable[[str], str] = lambda s: s
    tick_s: float = 0.5


def _now() -> datetime:
    return datetime.now(UTC)


class _World:
    """The processes, traffic and monitor of one drill; torn down by ``close``."""

    def __init__(self, h: Harness, spec: DrillSpec, book: Runbook, drill_id: str, scale: float):
        self.h = h
        self.spec = spec
        self.book = book
        self.scale = scale
        self.dir = h.work_dir / drill_id
        self.dir.mkdir(parents=True, exist_ok=True)
        self.home = self.dir / "home"
        self.logs = self.dir / "logs"
        self.home.mkdir(exist_ok=True)
        self.tenant, self.role = spec.tenants[0]
        self.env: dict[str, str] = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")},
            "PATH": os.pathsep.join(
                [str(Path(sys.executable).parent), os.environ.get("PATH", "/usr/bin:/bin")]
            ),
            "GONOGO_HOME": str(self.home),
            "GONOGO_PLAN_DIR": str(h.plan_dir),
            "GONOGO_PROBE_TENANT": self.tenant,
            "GONOGO_PROBE_ROLE": self.role,
            "GONOGO_SERVE_ARGS": " ".join(h.serve_args(self.tenant, self.role)),
        }
        self.worker: Worker | None = None
        self.processes: list[Process] = []
        self.providers: list[Any] = []
        self.prometheus: Process | None = None
        self.prometheus_url: str | None = None
        self.mounted = False
        self.client = GatewayClient(timeout_s=30.0, max_retries_429=3)
        self.target = Target("http://127.0.0.1:1")
        self.results: list[CallResult] = []
        self.monitor = AlertMonitor(
            h.slos, h.ops, h.runbooks, scale=scale, tick_s=h.tick_s, source_id=drill_id
        )
        self.traffic: Traffic | None = None
        self._stop = threading.Event()
        self._loop: threading.Thread | None = None
        self.loop_error = ""
        self.loop_errors = 0
        self.calibrated_rps: float | None = None
        self.auto_scale = False

    # ------------------------------------------------------------------ set up
    def serve_spec(self, extra_env: Mapping[str, str] | None = None) -> ServeSpec:
        return ServeSpec(
            self.h.gonogo,
            {**self.env, **(extra_env or {})},
            tuple(self.h.serve_args(self.tenant, self.role)),
        )

    def start_worker(self, port: int | None = None, **extra_env: str) -> Worker:
        self.h.prepare_home(self.home, [t for t, _ in self.spec.tenants], self.env)
        w = Worker(self.serve_spec(extra_env), self.logs).start(port)
        self.worker = w
        self._point_at(w.url)
        return w

    def _point_at(self, url: str) -> None:
        bound = self.tenant if self.h.serve_args(self.tenant, self.role) else None
        self.target = Target(url, tenant=bound, role=self.role)
        port = url.rsplit(":", 1)[1]
        self.env.update(GONOGO_URL=url, GONOGO_HOST=HOST, PORT=port)

    def start_traffic(self, calibrate_s: float = 0.0) -> None:
        """Start the agents, then the monitor loop.

        With ``calibrate_s``, first measure the calls per second this machine answers now and
        pick the time scale so the alert's window holds enough calls (see
        :func:`scale_for_volume`); the calls seen meanwhile are replayed into the monitor.
        """
        # Enough agents that the target rate is reached even when calls take a while.
        n = max(4, math.ceil(self.spec.rate))
        agents = [AgentSpec(t, r, f"{t}-drill-{i}") for t, r in self.spec.tenants for i in range(n)]
        mix = self.h.mix.with_weights(self.spec.weights)
        self.traffic = Traffic(
            self.client, mix, agents, lambda _t: self.target, rate=self.spec.rate
        )
        started = time.time()
        self.traffic.start()
        if calibrate_s > 0:
            # The first calls of a fresh worker compile its policy: measure after them.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not any(r.answered for r in self.results):
                self.results.extend(self.traffic.drain())
                time.sleep(0.1)
            time.sleep(calibrate_s)
            got = self.traffic.drain()
            self.results.extend(got)
            rate = sum(1 for r in got if r.answered) / calibrate_s
            got = list(self.results)
            self.calibrated_rps = rate
            self.scale = scale_for_volume(rate, self.h.ops.band_window, self.h.ops.band_min_events)
            self.monitor.close()
            self.monitor = AlertMonitor(
                self.h.slos, self.h.ops, self.h.runbooks, scale=self.scale,
                tick_s=self.h.tick_s, started=started, source_id=self.monitor.source_id,
            )  # fmt: skip
            self.monitor.record_calls(got)
        self._loop = threading.Thread(target=self._watch, name="drill-monitor", daemon=True)
        self._loop.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            t0 = time.monotonic()
            try:
                self.tick()
            except Exception as e:  # the drill reports it; the loop must not die silently
                self.loop_errors += 1
                if not self.loop_error:
                    import traceback

                    self.loop_error = "".join(traceback.format_exception(e))[-1500:]
            self._stop.wait(max(0.0, self.h.tick_s - (time.monotonic() - t0)))

    def tick(self) -> None:
        assert self.traffic is not None
        got = self.traffic.drain()
        self.results.extend(got)
        self.monitor.record_calls(got)
        if self.worker is not None and self.worker.process is not None:
            s = scrape(self.worker.url, timeout=1.0)
            self.monitor.record_scrape(self.worker.instance, s)
        if self.prometheus_url:
            now = time.time()
            self.monitor.record_sli_source(
                self.prometheus_url, reachable(self.prometheus_url, timeout=1.0), now
            )
        self.monitor.evaluate()

    # ------------------------------------------------------------------ steps
    def run_step(self, section: str, idx: int, step: Step) -> StepResult:
        started = _now()
        t0 = time.monotonic()
        if not step.automated:
            return StepResult(section, idx, step.step, "", None, True, started, 0.0, note="manual")
        try:
            if step.restart == "worker":
                return self._restart_worker(section, idx, step, started, t0)
            if step.restart == "prometheus":
                return self._restart_prometheus(section, idx, step, started, t0)
            p = subprocess.run(
                ["bash", "-c", step.run],
                env=self.step_env(),
                capture_output=True,
                timeout=step.timeout_s,
                cwd=str(self.dir),
            )
            out = (p.stdout + p.stderr).decode("utf-8", "replace")
            return StepResult(
                section,
                idx,
                step.step,
                step.run,
                p.returncode,
                p.returncode in step.ok_exit,
                started,
                time.monotonic() - t0,
                self.h.redact(out[-2000:]),
            )
        except subprocess.TimeoutExpired:
            return StepResult(
                section, idx, step.step, step.run, None, False, started,
                time.monotonic() - t0, note=f"timed out after {step.timeout_s:g}s",
            )  # fmt: skip
        except (OSError, TargetError) as e:
            return StepResult(
                section, idx, step.step, step.run, None, False, started,
                time.monotonic() - t0, note=self.h.redact(str(e))[:500],
            )  # fmt: skip

    def step_env(self) -> dict[str, str]:
        env = dict(self.env)
        releases = env.get("GONOGO_RELEASES")
        if releases and (Path(releases) / "current").exists():
            # A restarted worker serves the release that is current when it starts.
            env["GONOGO_PLAN_DIR"] = os.path.realpath(Path(releases) / "current")
        return env

    def _restart_worker(
        self, section: str, idx: int, step: Step, started: datetime, t0: float
    ) -> StepResult:
        assert self.worker is not None
        old = self.worker.process
        blue_green = self.spec.kind == "rollback"
        port = free_port() if blue_green or old is None else old.port
        if not blue_green and old is not None:
            old.stop()  # a restart in place: the old process lets go of the address first
        env = {**self.step_env(), "PORT": str(port), "GONOGO_URL": f"http://{HOST}:{port}"}
        p = start_process("serve", step.run, env=env, log_dir=self.logs, port=port)
        self.processes.append(p)
        self.worker.replace_with(p, timeout_s=min(step.timeout_s, 90.0) + 30.0)
        self._point_at(self.worker.url)
        if blue_green and old is not None:
            old.stop()
        return StepResult(
            section, idx, step.step, step.run, None, True, started, time.monotonic() - t0,
            note=f"worker pid {p.pid} answers on {self.worker.url}",
        )  # fmt: skip

    def _restart_prometheus(
        self, section: str, idx: int, step: Step, started: datetime, t0: float
    ) -> StepResult:
        if not self.prometheus_url:
            raise TargetError("this drill runs no Prometheus")
        port = int(self.prometheus_url.rsplit(":", 1)[1])
        p = start_process("prometheus", step.run, env=self.step_env(), log_dir=self.logs, port=port)
        self.processes.append(p)
        self.prometheus = p
        wait_http(f"{self.prometheus_url}/-/ready", p, min(step.timeout_s, 60.0))
        return StepResult(
            section, idx, step.step, step.run, None, True, started, time.monotonic() - t0,
            note=f"prometheus pid {p.pid} ready",
        )  # fmt: skip

    # ------------------------------------------------------------------ tear down
    def close(self) -> None:
        self._stop.set()
        if self.traffic is not None:
            self.traffic.stop(timeout=60)
        if self._loop is not None:
            self._loop.join(30)
        if self.worker is not None:
            self.worker.stop_all()
        for p in reversed(self.processes):
            p.stop()
        if self.prometheus is not None:
            self.prometheus.stop()
        for prov in self.providers:
            with contextlib.suppress(Exception):
                prov.stop()
        self.client.close()
        self.monitor.close()
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.home)], capture_output=True, timeout=30)


# ---------------------------------------------------------------------- fault injections


def _inject_worker_killed(w: _World) -> dict[str, Any]:
    assert w.worker is not None and w.worker.process is not None
    pid = w.worker.process.pid
    w.worker.process.kill()
    return {"killed_pid": pid}


def _setup_disk(w: _World, size: str = "48m") -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        raise DrillSetupError("spool-disk-full needs root to mount a small volume for the state")
    p = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(w.home)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if p.returncode != 0:
        raise DrillSetupError(f"cannot mount a small volume for the state: {p.stderr.strip()}")
    w.mounted = True


def _inject_disk_full(w: _World) -> dict[str, Any]:
    logs = w.home / "logs"
    logs.mkdir(exist_ok=True)
    written = 0
    chunk = b"\0" * (1 << 20)
    with (logs / "runaway.log").open("wb") as fh:
        try:
            while written < (1 << 30):
                fh.write(chunk)
                written += len(chunk)
                fh.flush()
        except OSError:
            pass
    # The last partial block too: the volume is full.
    with contextlib.suppress(OSError), (logs / "runaway.log").open("ab") as fh:
        for _ in range(4096):
            fh.write(b"\0" * 1024)
            fh.flush()
    free = shutil.disk_usage(w.home).free
    return {"runaway_log_bytes": written, "free_bytes_after": free}


def _setup_prometheus(w: _World) -> None:
    exe = shutil.which("prometheus")
    if exe is None:
        raise DrillSetupError("prometheus-down needs the prometheus binary")
    assert w.worker is not None
    port = free_port()
    cfg = w.dir / "prometheus.yml"
    cfg.write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        "scrape_configs:\n  - job_name: gonogo\n    static_configs:\n"
        f"      - targets: ['{w.worker.instance}']\n"
    )
    data = w.dir / "prometheus-data"
    w.env.update(
        PROMETHEUS_CONFIG=str(cfg),
        PROMETHEUS_DATA=str(data),
        PROMETHEUS_LISTEN=f"{HOST}:{port}",
        GONOGO_PROMETHEUS_URL=f"http://{HOST}:{port}",
    )
    argv = [
        exe,
        f"--config.file={cfg}",
        f"--storage.tsdb.path={data}",
        f"--web.listen-address={HOST}:{port}",
        "--log.level=warn",
    ]
    w.prometheus = start_process("prometheus", argv, env=w.env, log_dir=w.logs, port=port)
    w.prometheus_url = f"http://{HOST}:{port}"
    wait_http(f"{w.prometheus_url}/-/ready", w.prometheus, 60)


def _inject_prometheus_down(w: _World) -> dict[str, Any]:
    assert w.prometheus is not None
    pid = w.prometheus.pid
    w.prometheus.kill()
    return {"killed_pid": pid}


def _setup_providers(w: _World) -> dict[str, str]:
    from enforcement_agent.connectors.fake_provider import FakeProvider

    primary, standby = FakeProvider().start(), FakeProvider().start()
    w.providers += [primary, standby]
    w.env.update(
        GONOGO_CONNECTOR_GITHUB_URL=primary.url,
        GONOGO_CONNECTOR_JIRA_URL=primary.url,
        GONOGO_CONNECTOR_SLACK_URL=primary.url,
        GONOGO_CONNECTOR_STANDBY_URL=standby.url,
    )
    return {"primary": primary.url, "standby": standby.url}


def _inject_provider_failing(w: _World) -> dict[str, Any]:
    w.providers[0].fail_status = 503
    return {"provider": w.providers[0].url, "status": 503}


def bad_release(good: Path, dest: Path, tenant: str) -> Path:
    """A copy of ``good`` whose tenant overlay freezes builds, tests and deletions: a release
    that loads and passes its own checks, and blocks a third of everyday agent work."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(good, dest)
    overlay = dest / f"{tenant}.yaml"
    doc: dict[str, Any] = (
        yaml.safe_load(overlay.read_text())
        if overlay.exists()
        else {"version": 1, "extends": "default", "name": tenant}
    )
    exec_node = doc.setdefault("exec", {}) or {}
    doc["exec"] = exec_node
    # Meant for another tenant's release week: builds, tests and clean-ups stop here too.
    exec_node.setdefault("rules", []).append(
        {
            "id": f"exec.{tenant}.change-freeze",
            "effect": "deny",
            "reason": "change freeze: no builds, tests or deletions until the release is out",
            "programs": ["python3", "python", "rm", "env", "make", "pytest"],
        }
    )
    overlay.write_text(yaml.safe_dump(doc, sort_keys=False))
    return dest


# ---------------------------------------------------------------------- the run


def _matches(book: Runbook, e: Any) -> bool:
    return e.event == "firing" and book.serves(e.alertname, e.slo, e.subject)


def _wait(pred: Callable[[], bool], timeout: float, poll: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(poll)
    return pred()


def run_drill(
    name: str,
    h: Harness,
    *,
    scale: float | None = None,
    drill_id: str | None = None,
) -> DrillResult:
    """Run one drill end to end; never raises for a drill that fails (the result says why)."""
    spec = DRILLS.get(name)
    if spec is None:
        raise KeyError(f"unknown drill {name!r}; expected one of {', '.join(DRILLS)}")
    drill_id = (
        drill_id or f"drill-{name}-{_now().strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"
    )
    started = _now()
    book = h.runbooks.for_drill(name)
    auto_scale = scale is None
    scale = scale or spec.scale
    res = DrillResult(
        drill_id, name, spec.kind, book.name if book else "", book.path if book else "",
        book.content_hash if book else "", "error", "", started, started, scale,
    )  # fmt: skip
    if book is None:
        res.reason = f"no runbook lists drill {name} (drills: in its head)"
        res.ended_at = _now()
        return res
    if book.missing:
        res.reason = f"runbook {book.path} is incomplete: lacks {', '.join(book.missing)}"
        res.ended_at = _now()
        return res
    w = _World(h, spec, book, drill_id, scale)
    w.auto_scale = auto_scale
    try:
        _drill(w, res)
    except (DrillSetupError, TargetError) as e:
        res.status, res.reason = "error", h.redact(str(e))[:500]
    finally:
        w.close()
        res.ended_at = _now()
        res.alerts = [e.to_json() for e in w.monitor.events]
        res.incidents = [i.to_json() for i in w.monitor.incidents]
        res.detail.update(
            calls=len(w.results),
            answered=sum(1 for r in w.results if r.answered),
            decisions=dict(Counter(r.decision for r in w.results if r.answered)),
            heartbeat_floor_s=w.monitor.heartbeat_floor_s,
            work_dir=str(w.dir),
        )
        if w.loop_error:
            res.detail["monitor_error"] = w.loop_error
            res.detail["monitor_errors"] = w.loop_errors
    return res


def _drill(w: _World, res: DrillResult) -> None:
    spec, book = w.spec, w.book
    setup: dict[str, Any] = {}
    releases: Releases | None = None
    good_rev = ""
    if spec.name == "spool-disk-full":
        _setup_disk(w)
    if spec.name == "connector-provider-failing":
        setup["providers"] = _setup_providers(w)
    if spec.kind == "rollback":
        releases = Releases(w.dir / "releases")
        good_rev = releases.add(w.h.plan_dir / "policies")
        releases.activate(good_rev)
        w.env["GONOGO_RELEASES"] = str(releases.root)
        w.env["GONOGO_PLAN_DIR"] = str(releases.root / good_rev)
    w.start_worker()
    if spec.name == "prometheus-down":
        _setup_prometheus(w)
    warmup = spec.warmup_s
    if spec.kind == "rollback" and w.auto_scale:
        # The denial band needs enough calls in its hour and in the day before: scale the
        # clock to the volume this machine serves now, and warm up past one window.
        w.start_traffic(calibrate_s=4.0)
        res.scale = w.scale
        res.detail["calibrated_rps"] = w.calibrated_rps
        warmup = max(warmup - 4.0, 1.4 * w.h.ops.band_window.total_seconds() / w.scale)
    else:
        w.start_traffic()
    # Warm up: a baseline of healthy traffic, and nothing of this runbook firing.
    time.sleep(warmup)
    early = [e.to_json() for e in w.monitor.events if _matches(book, e)]
    if early:
        res.status, res.reason = "failed", f"the runbook's alert fired before the fault: {early[0]}"
        return
    # 1. inject
    if spec.name == "worker-killed":
        setup.update(_inject_worker_killed(w))
    elif spec.name == "spool-disk-full":
        setup.update(_inject_disk_full(w))
    elif spec.name == "prometheus-down":
        setup.update(_inject_prometheus_down(w))
    elif spec.name == "connector-provider-failing":
        setup.update(_inject_provider_failing(w))
    elif spec.kind == "rollback":
        assert releases is not None
        setup.update(_rollout_bad(w, releases, good_rev))
    res.fault_at = _now()
    res.detail["fault"] = {"summary": spec.summary, **setup}
    # 2. detect
    fault_wall = res.fault_at
    if not _wait(
        lambda: any(_matches(book, e) and e.at >= fault_wall for e in w.monitor.events),
        spec.detect_timeout_s,
    ):
        res.status, res.reason = (
            "failed",
            (f"no alert of runbook {book.name} fired within {spec.detect_timeout_s:g}s"),
        )
        return
    first = next(e for e in w.monitor.events if _matches(book, e) and e.at >= fault_wall)
    res.detected_at = first.at
    res.detail["detected_by"] = first.to_json()
    # 3. mitigate
    if not _run_section(w, res, "mitigation", book.mitigation):
        return
    res.mitigated_at = _now()
    # 4. verify
    if not _run_section(w, res, "verification", book.verification):
        return
    fired = {(e.alertname, e.slo, e.subject, e.tenant_id) for e in w.monitor.firing()}

    def resolved() -> bool:
        now = {(e.alertname, e.slo, e.subject, e.tenant_id) for e in w.monitor.firing()}
        return not any(book.serves(a, s, sub) for a, s, sub, _t in now)

    if not _wait(resolved, spec.recover_timeout_s):
        res.status, res.reason = (
            "failed",
            (
                f"the alerts did not resolve within {spec.recover_timeout_s:g}s after mitigation: "
                f"{sorted(fired)}"
            ),
        )
        return
    if spec.kind == "rollback":
        assert releases is not None
        ok, why = _verify_rollback(w, releases, good_rev, res)
        if not ok:
            res.status, res.reason = "failed", why
            return
    res.recovered_at = _now()
    res.status, res.reason = "completed", "fault detected, runbook executed, recovery verified"


def _run_section(w: _World, res: DrillResult, section: str, steps: Sequence[Step]) -> bool:
    """Run a runbook section's steps in order; the first that fails ends the drill."""
    for i, step in enumerate(steps):
        r = w.run_step(section, i, step)
        res.steps.append(r)
        if not r.ok:
            res.status, res.reason = "failed", f"{section} step {i + 1} failed: {step.step}"
            return False
    return True


def _rollout_bad(w: _World, releases: Releases, good_rev: str) -> dict[str, Any]:
    """Blue/green rollout of the harmful release: start it beside, switch traffic, stop old."""
    assert w.worker is not None
    bad_src = bad_release(releases.policies(good_rev), w.dir / "bad-policies", w.tenant)
    bad_rev = releases.add(bad_src)
    releases.activate(bad_rev)
    old = w.worker.process
    env = {**w.step_env()}
    spec = ServeSpec(w.h.gonogo, env, tuple(w.h.serve_args(w.tenant, w.role)))
    new = Worker(spec, w.logs).start()
    w.worker.history.extend(new.history)
    w.worker.process = new.process
    w._point_at(w.worker.url)
    if old is not None:
        old.stop()
    versions = policy_versions(releases.policies(bad_rev), [w.tenant])
    return {
        "good_release": good_rev,
        "bad_release": bad_rev,
        "bad_policy_version": versions[w.tenant],
        "worker": w.worker.url,
    }


def _verify_rollback(
    w: _World, releases: Releases, good_rev: str, res: DrillResult
) -> tuple[bool, str]:
    """New decisions (after the rolled-back worker took over) cite the old release's hash."""
    expected = policy_versions(releases.policies(good_rev), [w.tenant])[w.tenant]
    switched = res.mitigated_at.timestamp() if res.mitigated_at else time.time()
    current = releases.current()

    def cited() -> Counter[str]:
        return Counter(
            r.policy_version
            for r in list(w.results)
            if r.answered and r.tenant == w.tenant and r.started >= switched
        )

    _wait(lambda: sum(cited().values()) >= 5, 60)
    seen = cited()
    res.detail["rollback"] = {
        "current_release": current,
        "expected_policy_version": expected,
        "cited_after_rollback": dict(seen),
    }
    if current != good_rev:
        return False, f"the current release is {current}, not the previous {good_rev}"
    if sum(seen.values()) < 5:
        return False, "fewer than 5 decisions after the rollback to verify"
    if set(seen) != {expected}:
        return False, f"decisions after the rollback cite {sorted(seen)}, expected {expected}"
    return True, ""
