VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= out
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: venv bytecode sysdeps demo test lint typecheck bench serve clean

# OS packages the sandbox, SLO, tenancy and cluster tests need; installed only when missing.
sysdeps:
	@missing=""; \
	command -v bwrap >/dev/null 2>&1 || missing="$$missing bubblewrap"; \
	command -v promtool >/dev/null 2>&1 || missing="$$missing prometheus"; \
	command -v prometheus-alertmanager >/dev/null 2>&1 || missing="$$missing prometheus-alertmanager"; \
	ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || missing="$$missing libseccomp2"; \
	/usr/bin/python3 -c 'import seccomp' 2>/dev/null || missing="$$missing python3-seccomp"; \
	[ -x /usr/sbin/setcap ] || missing="$$missing libcap2-bin"; \
	command -v rsync >/dev/null 2>&1 || missing="$$missing rsync"; \
	command -v rg >/dev/null 2>&1 || missing="$$missing ripgrep"; \
	command -v ag >/dev/null 2>&1 || missing="$$missing silversearcher-ag"; \
	command -v cpio >/dev/null 2>&1 || missing="$$missing cpio"; \
	command -v bsdtar >/dev/null 2>&1 || missing="$$missing libarchive-tools"; \
	command -v zsh >/dev/null 2>&1 || missing="$$missing zsh"; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	command -v parallel >/dev/null 2>&1 || missing="$$missing parallel"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

# Our packages' bytecode, written once before a run: where PYTHONDONTWRITEBYTECODE is set (as on
# this machine) no process writes it, so every `gonogo` subprocess a test or the demo starts
# compiled the modules it imports from source (~1 s of CPU for the pipeline's definitions).
PACKAGES := enforcement_agent assets checks pipelines reports gonogo dashboards benchmarks
# (Not the benchmark tasks' environments: they are data a task copies, and a verifier reads.)
bytecode: venv
	$(PY) -m compileall -q -j0 -x 'benchmarks/tasks/' $(PACKAGES) >/dev/null

demo: sysdeps venv bytecode
	$(VENV)/bin/gonogo demo --out $(OUT)

# The JUnit XML is evidence: `gonogo report` reads it from $(GONOGO_HOME)/evidence/junit.
GONOGO_HOME ?= .gonogo
# Two pytest-xdist workers, each taking whole files (a file's fixtures and servers stay on one
# worker); most of the suite's time is real servers, daemons and alert windows waiting.
# --no-loadscope-reorder: files go out in collection order (tests/conftest.py puts the slowest
# first); xdist's default order, most tests first, left the one-test pipeline files for last.
TEST_WORKERS ?= 2
test: sysdeps venv bytecode
	mkdir -p $(GONOGO_HOME)/evidence/junit
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --junitxml=$(GONOGO_HOME)/evidence/junit/pytest.xml

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: venv
	$(VENV)/bin/mypy

bench: venv
	for f in benchmarks/perf/bench_*.py; do m=$$(basename $$f .py); $(PY) -m benchmarks.perf.$$m || exit 1; done

# The app on 127.0.0.1:8080 with token auth from a local dev issuer (kept under $(GONOGO_HOME)/auth);
# prints a platform token for the report routes first. Production points GONOGO_AUTH_* at its IdP.
serve: venv
	@eval "$$(GONOGO_HOME=$(GONOGO_HOME) $(VENV)/bin/gonogo auth dev-issuer)" && \
	  echo "platform token (report, /api/readiness, /metrics):" && \
	  GONOGO_HOME=$(GONOGO_HOME) $(VENV)/bin/gonogo auth token --tenant platform --role viewer --actor "$${USER:-operator}" && \
	  GONOGO_HOME=$(GONOGO_HOME) $(VENV)/bin/gonogo serve

clean:
	rm -rf $(OUT) .gonogo .pytest_cache .mypy_cache .ruff_cache
