# The two Quickstart commands (`make serve`, `make test`) and the set-up they share.
# .venv holds the pinned dependencies: requirements.lock (serving) for `make serve`, plus requirements-dev.lock
# (the test stack) for `make test`. scripts/venv picks a Python 3.11-3.13 (or PYTHON=...) and makes .venv again
# when the interpreter or a lock file changes.
VENV ?= .venv
export VENV PYTHON
BIN := $(VENV)/bin

# No Python 3.11-3.13 to be found: say what to install, in one line, before anything runs.
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),serve)),)
PYTHON_PROBLEM := $(shell PYTHON='$(PYTHON)' scripts/find-python 2>&1 >/dev/null)
ifneq ($(PYTHON_PROBLEM),)
$(error $(PYTHON_PROBLEM))
endif
endif

.PHONY: serve test test-slow bench lock clean

# `make serve PORT=9090`; every other setting through its MOCKSERVER_* variable (`.venv/bin/mockserver serve --help`).
serve:
	@scripts/venv serve
	$(BIN)/mockserver serve $(if $(PORT),--port $(PORT))

# Both suites spread over every core (pytest-xdist); `pytest tests/test_x.py` alone runs in one process.
test:
	@scripts/venv test
	$(BIN)/pytest -n auto

# What CI runs besides `make test`: fuzzing, soak, the image build and the console in a browser.
test-slow:
	@scripts/venv test
	$(BIN)/pytest -n auto -m "slow or container or browser" || test $$? -eq 5  # 5: no such test collected

# This server against WireMock and Prism, interleaved, with wrk (README's Benchmark); options by MOCKSERVER_BENCH_*
# variables (`MOCKSERVER_BENCH_QUICK=1 make bench`), the result in bench-results/.
bench:
	@scripts/venv serve
	$(BIN)/mockserver bench

# Re-pin every dependency for Python 3.11-3.13 after editing pyproject.toml's dependency lists (UPGRADE=1: all anew).
lock:
	@python=$$(scripts/find-python) && $$python scripts/lock.py

clean:
	rm -rf $(VENV)
