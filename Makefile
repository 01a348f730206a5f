# The two commands of the contract: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
TRANSLATIONS := comarketing/translations

.PHONY: run test test-clocks lint typecheck pytest install translations extract-messages update-constraints screenshots bench clean

# The web app and the worker (e-mails, CRM pushes, scheduled jobs) together, from the Procfile;
# Ctrl-C stops both.
run: install translations
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	HOST=$(HOST) $(BIN)/honcho --procfile Procfile start --port $(PORT)

test: install translations lint typecheck pytest

# The suite under fixed clocks where date bugs hide (see README "Tests"): the last evening of a
# month (already the 1st in Moscow), 29 February, and New Year's Eve in Moscow.
CLOCKS := 2027-02-28T23:30:00Z 2028-02-29T12:00:00Z 2027-12-31T22:30:00Z

test-clocks: install translations
	set -e; for clock in $(CLOCKS); do $(BIN)/pytest --clock=$$clock $(PYTEST_ARGS); done

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy comarketing

pytest:
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

# Reinstall when the dependencies or their pinned versions change.
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

translations: install
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)

# After changing user-visible text: extract, then translate the new entries in ru/messages.po.
extract-messages: install
	$(BIN)/pybabel -q extract --ignore-dirs=".* .venv" -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -w 100 -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update --no-fuzzy-matching -w 100 -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

# Refresh the pinned versions (constraints.txt) from the newest releases within pyproject's bounds.
update-constraints:
	rm -rf .venv-constraints && $(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/python -m pip install --quiet --upgrade pip
	.venv-constraints/bin/python -m pip install --quiet -e ".[test,e2e]"
	.venv-constraints/bin/python -m pip freeze --exclude-editable | grep -v '^comarketing' > constraints.txt
	rm -rf .venv-constraints

screenshots: install translations
	$(BIN)/python scripts/screenshots.py

# All the benchmarks, one table (about 25 minutes; see README "Benchmarks"), e.g. BENCH_ARGS=--quick.
bench: install
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
