# Sourced by scripts/start and scripts/test: `install_workbook [extra ...]` makes the
# project's virtual environment and installs the workbook in it as an editable package (with
# the extras named).
#
# Nothing is installed again while what it is built from is unchanged (the package's own code
# is used in place): pyproject.toml, the extension's sources, the files under share/ (the Voila
# template, copied into the environment), the translations' catalogues (compiled by the build)
# and the extras asked for (an extra installed once stays installed).
#
# The build backends are installed into the environment once and the package is built
# without pip's isolated build environment, which would install JupyterLab afresh into a
# temporary environment at every run (about 50 s of each).

# The state of what the install is built from (not the extras: those are kept apart).
_workbook_sources_stamp() {
  { cat pyproject.toml extension/package.json extension/yarn.lock
    find extension/src extension/style share buyin_workbook/locale hatch_build.py -type f \
      -not -name '*.mo' -print0 | sort -z | xargs -0 cat; } | sha256sum
}

# Whether `install_workbook EXTRA...` has anything to do: the environment is missing, what
# it is built from changed, or an extra asked for is not installed yet (one installed before
# stays, so `./scripts/test` then `./scripts/start` installs nothing the second time).
workbook_install_needed() {
  [ -x .venv/bin/python ] && [ -f buyin_workbook/labextension/package.json ] \
    && [ "$(cat .venv/workbook-installed 2>/dev/null)" = "$(_workbook_sources_stamp)" ] \
    || return 0
  local extra
  for extra in "$@"; do
    grep -qxF "$extra" .venv/workbook-extras 2>/dev/null || return 0
  done
  return 1
}

# pip install, showing what it fetches and builds but not each "already satisfied"; pip's
# own exit status.
_pip_install() {
  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar on "$@" \
    | { grep -v '^Requirement already satisfied' || true; }
  return "${PIPESTATUS[0]}"
}

# The extras to install, comma-separated: those asked for now and those installed before
# (none is dropped by a reinstall). Safe under `set -euo pipefail`, with or without any.
_workbook_extras() {
  { printf '%s\n' "$@"; cat .venv/workbook-extras 2>/dev/null || true; } \
    | { grep -v '^$' || true; } | sort -u | paste -sd, -
}

install_workbook() {
  workbook_install_needed "$@" || return 0
  if [ ! -x .venv/bin/python ]; then
    echo "Setting up the workbook in .venv (the first time takes a few minutes; pip says"
    echo "what it fetches as it goes)..."
    python3 -m venv .venv
  else
    echo "Installing the workbook again (its setup, extension or extras changed)..."
  fi
  local started=$SECONDS
  .venv/bin/python - <<'PY' >.venv/build-requirements.txt
import tomllib

with open("pyproject.toml", "rb") as f:
    print("\n".join([*tomllib.load(f)["build-system"]["requires"], "editables"]))
PY
  echo "  [1/2] the build tools (hatchling, JupyterLab's extension builder)..."
  # Only what pip fetches or builds is shown, not every "already satisfied".
  _pip_install -r .venv/build-requirements.txt || return 1
  local extras
  extras=$(_workbook_extras "$@")
  echo "  [2/2] the workbook and what it needs (JupyterLab, Voila, pandas, altair${extras:+; extras: $extras}),"
  echo "        then its JupyterLab extension (built with Node.js)..."
  # Installing builds the JupyterLab extension too (with jlpm, from the environment). A
  # failed install leaves no stamp, so the next run tries again.
  PATH="$PWD/.venv/bin:$PATH" _pip_install --no-build-isolation -e ".${extras:+[$extras]}" \
    || return 1
  _workbook_sources_stamp >.venv/workbook-installed
  tr ',' '\n' <<<"$extras" | { grep -v '^$' || true; } >.venv/workbook-extras
  echo "Set up in $((SECONDS - started)) s; the next start skips this while nothing changes."
}
