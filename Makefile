# Two commands a newcomer needs: `make run` (app with demo data) and `make test` (every test).
# PYTHON: the interpreter for a new .venv; empty = the newest Python 3.12+ that runs here
# (scripts/find-python.sh says what to install when there is none).
PYTHON ?=
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock

.PHONY: install run test test-quick translations bench lock clean

# A .venv made by an older Python (3.11 corrupts its heap under SQLAlchemy) is replaced.
# Exact versions with hashes from the lock first, then the project itself without dependencies.
$(STAMP): setup.cfg pyproject.toml $(LOCK)
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
		python=$$(sh scripts/find-python.sh $(PYTHON)) || exit 1; \
		echo "Creating $(VENV) with $$python"; \
		rm -rf $(VENV) && "$$python" -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
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
	bash scripts/test.sh --durations=15

# Skips browser, PostgreSQL and slow tests: for a quick loop while editing.
test-quick: install
	$(BIN)/python -m pytest -m "not browser and not postgres and not slow" -q

clean:
	rm -rf $(VENV) build *.egg-info

# Refreshes requirements.lock from the ranges in setup.cfg (needs PyPI). Versions already in the
# lock stay unless the ranges exclude them; `make lock LOCK_FLAGS=--upgrade` takes new releases.
# uv runs from its own small environment inside .venv.
lock:
	test -x $(VENV)/uv/bin/uv || { python=$$(sh scripts/find-python.sh $(PYTHON)) && \
		"$$python" -m venv $(VENV)/uv && $(VENV)/uv/bin/pip install --quiet uv; }
	echo "setuptools>=70.1" | $(VENV)/uv/bin/uv pip compile setup.cfg - --extra test --generate-hashes \
		--universal --python-version 3.12 --no-emit-package ervaringswijzer $(LOCK_FLAGS) \
		--custom-compile-command "make lock" --quiet -o $(LOCK)

# Search benchmark: prints figures at 1k and 10k places (add --sizes 1000,10000,100000 by hand).
bench: install
	$(BIN)/python benchmarks/search_bench.py
