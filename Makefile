# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test install install-dev chromium qemu index eval bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, build the index if missing or stale, start the web chat on 127.0.0.1:7860
run: install
	$(PY) -m index build
	$(PY) app.py

## make test: install what the tests need, then run them all (nothing is skipped)
test: install-dev chromium qemu
	$(PY) -m pytest

## chromium: Debian's Chromium for the browser tests (Playwright's own download does not work here)
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else \
	    echo "error: /usr/bin/chromium is missing and this is not root; run 'sudo apt-get install -y chromium' (the browser tests need it)" >&2; \
	    exit 1; \
	  fi; \
	fi
	@test -x /usr/bin/chromium || { echo "error: /usr/bin/chromium is still missing after apt-get" >&2; exit 1; }

## qemu: Debian's qemu-user, to run the int8 encoder on an emulated AVX2 CPU (tests/test_encoder_pins.py)
qemu:
	@if ! command -v qemu-x86_64 >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's qemu-user for the cross-CPU encoder test"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y qemu-user; \
	  else \
	    echo "error: qemu-x86_64 is missing and this is not root; run 'sudo apt-get install -y qemu-user'" >&2; \
	    exit 1; \
	  fi; \
	fi
	@command -v qemu-x86_64 >/dev/null || { echo "error: qemu-x86_64 is still missing after apt-get" >&2; exit 1; }

index: install
	$(PY) -m index build

eval: install
	$(PY) -m eval

bench: install
	$(PY) -m eval.bench

clean:
	rm -rf var test-artifacts .pytest_cache
