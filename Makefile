# The two Quickstart commands (`make serve`, `make test`) and the set-up they share.
# A virtualenv in .venv holds the pinned dependencies of requirements.lock.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: serve test test-slow lock clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

serve: $(BIN)/.installed
	$(BIN)/mockserver serve

test: $(BIN)/.installed
	$(BIN)/pytest

# What CI runs besides `make test`: fuzzing, soak and the image build.
test-slow: $(BIN)/.installed
	$(BIN)/pytest -m "slow or container" || test $$? -eq 5  # 5: no such test collected

# Re-pin every dependency (run after editing pyproject.toml's dependency lists).
lock:
	rm -rf /tmp/mockserver-lock && $(PYTHON) -m venv /tmp/mockserver-lock
	/tmp/mockserver-lock/bin/python -m pip install --quiet ".[dev]" hatchling==1.33.0
	/tmp/mockserver-lock/bin/python -m pip freeze --exclude lms-mockserver > requirements.lock

clean:
	rm -rf $(VENV)
