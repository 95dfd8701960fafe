# Descent: two commands on a fresh machine with Python 3.11+ and make.
#   make book   create .venv, install requirements.txt, run every notebook, build _build/html
#   make test   add requirements-test.txt, run the whole test suite
#   make test-lib  the library tests alone (e.g. OPENBLAS_CORETYPE=Haswell make test-lib)
#   make lab    open the chapters in JupyterLab, in the same environment
#   make student  the chapters without their solutions, for handing out (_build/student/chapters)
#   make normalize  bring the chapter notebooks to the conventions (kernelspec, hidden cells, no outputs)
#   make clean  remove the built site and test caches (make distclean also removes .venv)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The stamps record that the environment matches the requirement files; they are
# rebuilt (pip install) only when one of those files changes.
BOOK_STAMP := $(VENV)/.descent-book-env
TEST_STAMP := $(VENV)/.descent-test-env
SITE   := _build/html

.DEFAULT_GOAL := help
.PHONY: help book test test-lib lab student normalize clean distclean

help:
	@echo "make book       build the site into $(SITE) (creates $(VENV) on first use)"
	@echo "make test       run the whole test suite (lib, notebooks, strict build, browser)"
	@echo "make test-lib   run the library tests only (no book, notebooks or browser)"
	@echo "make lab        open the chapters in JupyterLab"
	@echo "make student    write the chapters without their solutions into _build/student/chapters"
	@echo "make normalize  bring the chapter notebooks to the conventions (run before committing one)"
	@echo "make clean      remove _build and test caches"
	@echo "make distclean  also remove $(VENV)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Descent needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 book")'
	@$(PYTHON) -m venv $(VENV) || { \
	    rm -rf $(VENV); \
	    echo; \
	    echo "Could not create $(VENV) with '$(PYTHON) -m venv' (removed the half-made folder)."; \
	    echo "On Debian/Ubuntu the venv module is a separate package: sudo apt-get install python3-venv"; \
	    echo "(or python3.X-venv matching your Python), then run make again."; \
	    exit 1; }

$(BOOK_STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(TEST_STAMP): requirements-test.txt $(BOOK_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

book: $(BOOK_STAMP)
	$(BIN)/jupyter-book build .
	@echo
	@echo "The book is built. Open it in a browser:"
	@echo "    file://$(CURDIR)/$(SITE)/index.html"
	@echo "or serve it:  $(BIN)/python -m http.server --directory $(SITE) 8000   (then http://127.0.0.1:8000)"

# pytest prints the final summary line; the configuration is in pyproject.toml.
test: $(TEST_STAMP)
	$(BIN)/python -m pytest

# The library tests alone: tests/ without the modules marked `book` (build, site, notebook
# rules) and without the chapter notebooks. CI also runs them under other OpenBLAS kernels.
test-lib: $(TEST_STAMP)
	$(BIN)/python -m pytest tests -m "not book"

# As root (e.g. in a container) JupyterLab refuses to start without --allow-root.
lab: $(BOOK_STAMP)
	$(BIN)/jupyter lab chapters $(if $(filter 0,$(shell id -u)),--allow-root)

# The chapters without their solutions, for handing out; they run, and each exercise's checker says
# "not implemented yet" until the student writes the code (tests/test_exercises.py runs them).
student: $(BOOK_STAMP)
	$(BIN)/python tools/make_student.py

# Kernelspec, collapsed hidden cells, 'solution' tags, no outputs or front-end metadata (tools/notebook_rules.py).
normalize: $(BOOK_STAMP)
	$(BIN)/python tools/normalize_notebooks.py

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
