# Two commands a newcomer needs: `make run` (app with demo data) and `make test` (every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-quick translations bench clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations

# Compiles every .po into the .mo the app reads (.mo files are not committed). A broken
# catalog stops the build; a checkout without any catalog has nothing to do.
translations: $(STAMP)
	@if ls ervaringswijzer/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -f -d ervaringswijzer/translations; \
	else \
		echo "No translations to compile."; \
	fi

run: install
	$(BIN)/flask --app ervaringswijzer seed-demo
	$(BIN)/flask --app ervaringswijzer run --host 127.0.0.1 --port 5000

test: install
	bash scripts/test.sh

# Skips browser and PostgreSQL tests: for a quick loop while editing.
test-quick: install
	$(BIN)/python -m pytest -m "not browser and not postgres and not slow" -q

clean:
	rm -rf $(VENV) build *.egg-info

# Search benchmark: prints figures at 1k and 10k places (add --sizes 1000,10000,100000 by hand).
bench: install
	$(BIN)/python benchmarks/search_bench.py
