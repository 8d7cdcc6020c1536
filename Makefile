VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= out

.PHONY: venv demo test lint typecheck bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(VENV)/bin/gonogo demo --out $(OUT)

test: venv
	$(PY) -m pytest -q

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy

bench: venv
	for f in benchmarks/perf/bench_*.py; do $(PY) $$f; done

clean:
	rm -rf $(OUT) .gonogo .pytest_cache .mypy_cache .ruff_cache
