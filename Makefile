# Everything a fresh machine needs, from python3 up. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Named after pyproject.toml and the python3 it was made with: after an OS upgrade brings a new
# python3, the venv's packages are built for the old one, so the venv is made again.
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)-py$(PY_VERSION)
# HOST, PORT and REDIS_URL as the settings, gunicorn.conf.py and deploy/serve.py take them: from
# the environment (or make's command line), else from the variables' file NEWSPORTAL_ENV_FILE
# names, read by their helper (newsportal/env.py), else the defaults. The file is read by a
# recipe that needs a value once $(STAMP) has made the venv, then kept; not when make reads this
# Makefile, when on a fresh machine (or with .venv's python gone after an OS upgrade) it gave
# nothing, and make's defaults went over the file's values. One value a line: it may hold a
# space. make serve and make reload pass serve.py no HOST or PORT of their own: it reads them.
ifneq ($(NEWSPORTAL_ENV_FILE),)
installed = $(shell test -e '$(STAMP)' && echo yes)
read_file = $(shell NEWSPORTAL_ENV_FILE='$(subst ','\'',$(NEWSPORTAL_ENV_FILE))' \
  $(PY) -m newsportal.env $(1) 2>/dev/null | cut -d= -f2-)
FILE_HOST = $(if $(installed),$(eval FILE_HOST := $$(call read_file,HOST))$(FILE_HOST))
FILE_PORT = $(if $(installed),$(eval FILE_PORT := $$(call read_file,PORT))$(FILE_PORT))
FILE_REDIS_URL = $(if $(installed),$(eval FILE_REDIS_URL := $$(call read_file,REDIS_URL))$(FILE_REDIS_URL))
endif
HOST ?= $(or $(FILE_HOST),127.0.0.1)
PORT ?= $(or $(FILE_PORT),8000)

.PHONY: run test browser redis varnish nu java css serve reload reload-steps bench bench-pair bench-scale lint format install clean

$(STAMP): pyproject.toml
	@$(PY) -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	@echo "Installing the Python packages into $(VENV) (a minute the first time)"
	@# Errors only (-qq): pip's and setuptools' notes are for package authors, not for us.
	@$(PY) -m pip install -qq --disable-pip-version-check --progress-bar off --upgrade pip
	@PYTHONWARNINGS=ignore $(PY) -m pip install -qq --disable-pip-version-check \
	  --progress-bar off -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

# A laptop: debug server on SQLite (unless DATABASE_URL says otherwise) with demo content and
# comments. Quiet but for errors; once the server answers, the last lines are its address and
# the staff login. On first use it writes .env: this laptop's settings (debug on, a generated
# secret key, the demo password), kept out of git; newsportal/settings.py reads it, so any
# manage.py command works with no variables, and the login is the same on every run.
# Links the site writes out in full (canonical, share, feeds) point at this server.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP)
	@$(PY) -m newsportal.first_run env .env
	@$(PY) -m newsportal.first_run port-free $(HOST) $(PORT)
	@$(PY) manage.py setup_demo --verbosity 0
	@$(PY) -m newsportal.first_run announce $(HOST) $(PORT) & \
	  exec $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite. Uses DATABASE_URL when set (PostgreSQL in CI), SQLite otherwise.
# pytest-xdist: processes, each sent a module (or a class) whole, in pytest-django's
# order: in every process, tests that empty the database run after those that need the
# migrations' rows (tests/conftest.py), and a module's Varnish stack starts once.
# One process per CPU. Two per CPU would fill the third of the suite's time that tests spend
# waiting on real servers, but then the browser tests that time a burst of requests (twenty
# decisions in five seconds) have half a CPU each: one failed so under load.
# TEST_WORKERS=0: everything in pytest's own process.
TEST_WORKERS ?= auto
test: export DJANGO_SECRET_KEY ?= test-only-$(shell $(PYTHON) -c 'import secrets; print(secrets.token_hex(16))')
test: $(STAMP) browser redis varnish nu
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

# The W3C Nu HTML checker (tests/test_html_validity.py): npm's vnu-jar, pinned, in .vnu/
# (git-ignored), run with Java; Debian's default-jre-headless (and npm) installed as root when
# missing.
VNU_VERSION := 26.9.27
VNU_STAMP := .vnu/.installed-$(VNU_VERSION)
nu: java $(VNU_STAMP)
$(VNU_STAMP):
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's npm for the HTML checker"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm; \
	  else \
	    echo "npm is missing: install Debian's npm (the HTML checker comes from npm)"; \
	  fi; }
	@echo "Installing the W3C Nu HTML checker (vnu-jar $(VNU_VERSION)) into .vnu/"
	@npm install --silent --no-audit --no-fund --prefix .vnu vnu-jar@$(VNU_VERSION)
	@rm -f .vnu/.installed-*
	@touch $@
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's default-jre-headless for the HTML checker"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless; \
	  else \
	    echo "Java is missing: install Debian's default-jre-headless (the HTML checker needs it)"; \
	  fi; }

# The vendored Bootstrap, static/vendor/bootstrap/bootstrap.min.css, is the part of Bootstrap the
# pages use, compiled from Bootstrap's own Sass (frontend/bootstrap-subset.scss says which parts
# and why). It is committed, so nothing else here needs npm; `make css` rebuilds it after a change
# there: npm ci into frontend/node_modules/ (git-ignored) the versions frontend/package-lock.json
# pins (bootstrap, sass, postcss-cli, autoprefixer), then sass, autoprefixer (the vendor prefixes
# Bootstrap's own dist carries, for the browsers in frontend/package.json; the caniuse data it
# reads is the pinned one, old or not) and sass again to minify, keeping the licence banner.
BOOTSTRAP_CSS := static/vendor/bootstrap/bootstrap.min.css
css:
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's npm to build the CSS"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm; \
	  else \
	    echo "npm is missing: install Debian's npm (make css builds with it)"; exit 1; \
	  fi; }
	@npm ci --prefix frontend --silent --no-audit --no-fund
	@set -o pipefail; cd frontend && \
	  node_modules/.bin/sass --no-source-map --load-path=node_modules bootstrap-subset.scss \
	  | BROWSERSLIST_IGNORE_OLD_DATA=1 node_modules/.bin/postcss --no-map --use autoprefixer \
	  | node_modules/.bin/sass --stdin --style=compressed --no-source-map > bootstrap.min.css.new \
	  || { rm -f bootstrap.min.css.new; exit 1; }
	@mv frontend/bootstrap.min.css.new $(BOOTSTRAP_CSS)
	@echo "$(BOOTSTRAP_CSS): $$(wc -c < $(BOOTSTRAP_CSS)) bytes, $$(gzip -9c $(BOOTSTRAP_CSS) | wc -c) gzipped"

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else \
	    echo "Chromium is missing: install Debian's chromium (the browser tests need it)"; \
	  fi; }

# `make serve` and the shared-cache tests (rate limits across processes) need a Redis at
# 127.0.0.1:6379 unless REDIS_URL names another: start one when none answers, installing
# Debian's redis-server first when it is missing (as root). Not for `make serve` run by a systemd
# service: a Redis started there would live in the unit, be killed with the stack at each stop
# or restart (KillMode=mixed), and hold the port Debian's redis-server.service wants. It says to
# start that service, and fails: the unit's Restart=on-failure tries again. The unit's as
# deploy/units.py says (make reload's rule): the unit's main process is this make ($PPID, the
# recipe's parent) or the shell in front of it. A make serve typed in a shell another unit
# started (a terminal's, tmux's, a CI runner's) still gets one, and so do the tests.
redis:
	@case "$${REDIS_URL:-redis://127.0.0.1:6379}" in \
	  redis://127.0.0.1:6379*|redis://localhost:6379*) ;; \
	  *) exit 0 ;; \
	esac; \
	$(PYTHON) -c 'import socket; socket.create_connection(("127.0.0.1", 6379), 1).close()' \
	  2>/dev/null || { \
	  unit=$$([ "$(REDIS_FOR)" != serve ] || $(PYTHON) deploy/units.py $$PPID); \
	  if [ -n "$$unit" ]; then \
	    echo "Redis does not answer on 127.0.0.1:6379, and make serve runs in $$unit: a Redis \
	started here would be stopped with it (and hold the port of Debian's redis-server). Start \
	Debian's, as root: systemctl enable --now redis-server (apt-get install redis-server first \
	if it is missing), or set REDIS_URL to a Redis of its own (deploy/README.md, 'Under systemd')" >&2; \
	    exit 1; \
	  fi; \
	  command -v redis-server >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "Installing Debian's redis-server (the shared cache)"; \
	      apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server; \
	    else \
	      echo "Redis is missing: install redis-server (the shared cache)"; \
	    fi; }; \
	  echo "Starting Redis on 127.0.0.1:6379 (no persistence)"; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
	  sleep 1; }

# The front proxy (`make serve`, tests/test_proxy.py): Debian's Varnish with the xkey and
# vsthrottle modules (varnish-modules), installed as root when missing.
VMOD_XKEY := $(wildcard /usr/lib/*/varnish/vmods/libvmod_xkey.so /usr/lib/varnish/vmods/libvmod_xkey.so)
varnish:
	@{ { command -v varnishd || test -x /usr/sbin/varnishd; } >/dev/null 2>&1 && \
	  test -n "$(VMOD_XKEY)"; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's varnish and varnish-modules for the front proxy"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q varnish varnish-modules; \
	  else \
	    echo "Varnish is missing: install Debian's varnish and varnish-modules (make serve and the proxy tests need them)"; \
	  fi; }

# Production stack: Varnish on HOST:PORT in front of gunicorn (the committed gunicorn.conf.py) on
# 127.0.0.1:BACKEND_PORT (PORT + 1), both in the foreground of deploy/serve.py, which stops both
# on SIGTERM or Ctrl-C. Needs DJANGO_SECRET_KEY; see README.md and deploy/README.md. It runs as
# a deployment does, from the environment alone: make run's .env (debug on) is not read. The
# shared cache is a local Redis (db 0) unless REDIS_URL names one.
serve: export NEWSPORTAL_ENV_FILE ?=
serve: export REDIS_URL ?= $(or $(FILE_REDIS_URL),redis://127.0.0.1:6379/0)
serve: REDIS_FOR := serve
serve: $(STAMP) varnish redis
	@$(PY) -m newsportal.first_run settings
	@# A production setting that would fail readers (a Redis that does not answer, ...) stops
	@# the start here, with check --deploy's message, before anything is migrated or served;
	@# its warnings are printed and the start goes on. Run by serve.py with the variables
	@# gunicorn gets (SITE_URL made from HOST and PORT when unset).
	$(PY) deploy/serve.py --check
	@# A stack running already (its ports, its PROXY_WORKDIR) stops this one here, before its
	@# static files, migrations and purge would reach the running release.
	@$(PY) deploy/serve.py --can-start
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	@# Pages drawn by the release before this one (Django's fragments in Redis) are dropped; not
	@# the front caches': this Varnish starts after, empty (a purge now would fail and be sent
	@# again), and other machines' are purged once the last runs this release (README.md).
	FRONT_CACHE_PURGE_URLS= $(PY) manage.py purge_pages --verbosity 0
	exec $(PY) deploy/serve.py

# A new release into the running `make serve`, with no reader turned away: packages, static
# files and migrations first (the old release keeps serving), then serve.py starts the new
# gunicorn beside the old one, switches Varnish to it once it answers (its cache kept), lets the
# old one finish its requests, restarts the mail worker and soft-purges the old pages
# (deploy/origin.py). A release that does not come up, or fails check --deploy as make serve's
# does, leaves the old one serving (make fails); one with migrations goes in only with MIGRATE=1.
# Every step after finding the stack runs with the running stack's variables (STACK: read from
# its serve.py, as the new release gets them), not the shell's: the shell needs only what finds
# the stack (PROXY_WORKDIR, or PORT).
STACK = $(PY) deploy/serve.py --stack-env
reload: export NEWSPORTAL_ENV_FILE ?=
reload:
	@# Nothing is installed, collected or migrated unless there is a stack to switch to it, and
	@# one that would take it: a change that takes a restart is refused here, as the stack would.
	@# One make reload at a time: this step holds the reload lock for the steps after it, to the
	@# outcome (reload-steps inherits it); one started meanwhile is refused here, saying so.
	@test -x $(PY) || { echo "reload: no $(PY): start the stack with make serve"; exit 1; }
	@$(PY) deploy/serve.py --running $(MAKE) --no-print-directory reload-steps

# make reload's steps after its first, which runs them (holding the reload lock).
reload-steps: export NEWSPORTAL_ENV_FILE ?=
reload-steps:
	@# -s: no "is up to date" line on every reload; installing says so itself.
	@$(MAKE) -s --no-print-directory $(STAMP)
	@$(STACK) -m newsportal.first_run settings
	@# As make serve: a setting the new release would fail readers with (a Redis or database
	@# that does not answer, ...) stops the reload here, before anything is collected or
	@# migrated, and the running stack goes on as it was.
	@echo "$(STACK) deploy/serve.py --check"
	@$(STACK) deploy/serve.py --check || { echo "reload: stopped \
	before collecting or migrating anything: the running release still serves"; exit 1; }
	@# Migrations run while the old release serves: only when the operator says it can run
	@# beside them (README.md, "Upgrading").
	@[ "$(MIGRATE)" = 1 ] || $(STACK) manage.py migrate --check >/dev/null || { echo "reload: \
	this release has migrations to apply (or the database did not answer). If the running \
	release can work beside them (README.md, 'Upgrading'), run make reload MIGRATE=1; \
	otherwise $$($(PY) deploy/serve.py --how-to-restart)."; exit 1; }
	$(STACK) manage.py collectstatic --noinput --verbosity 0
	$(STACK) manage.py migrate --noinput
	$(PY) deploy/serve.py --reload

# The load benchmark and the nothing-lost checks, on their own PostgreSQL database and Redis db
# (see "Benchmark" in README.md). BENCH_QUICK=1 for a short run.
bench: $(STAMP) varnish
	@command -v wrk >/dev/null || (apt-get install -y wrk || (apt-get update && apt-get install -y wrk))
	$(PY) -m bench.run

# One origin ratio with "ok" and the page taking turns (bench/pair.py): PAIR_LOGGED_IN=1,
# PAIR_PATH=/..., after `make bench` has seeded its database.
bench-pair: $(STAMP)
	$(PY) -m bench.pair

# Time and queries of what grows with data, at three years' volumes (bench/scale.py; SCALE_FACTOR).
bench-scale: $(STAMP)
	$(PY) -m bench.scale

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .vnu frontend/node_modules
