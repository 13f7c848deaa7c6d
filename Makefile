# Thin wrapper: everything lives in tasks.py so it also works where make is missing.
PY ?= python3

.PHONY: run test lint typecheck arch golden wheel bundle ci
run:
	$(PY) tasks.py run
test:
	$(PY) tasks.py test
lint:
	$(PY) tasks.py lint
typecheck:
	$(PY) tasks.py typecheck
arch:
	$(PY) tasks.py arch
golden:
	$(PY) tasks.py golden
wheel:
	$(PY) tasks.py wheel
bundle:
	$(PY) tasks.py bundle
ci:
	CI=true bash .ci/run
