# Sourced by scripts/start and scripts/test: `install_workbook [extra ...]` makes the
# project's virtual environment and installs the workbook in it as an editable package (with
# the extras named).
#
# Nothing is installed again while what it is built from is unchanged (the package's own code
# is used in place): pyproject.toml, the extension's sources, the files under share/ (the Voila
# template, copied into the environment), the translations' catalogues (compiled by the build)
# and the extras asked for.
#
# The build backends are installed into the environment once and the package is built
# without pip's isolated build environment, which would install JupyterLab afresh into a
# temporary environment at every run (about 50 s of each).

install_workbook() {
  local stamp
  stamp=$({ echo "$*"; cat pyproject.toml extension/package.json extension/yarn.lock
    find extension/src extension/style share buyin_workbook/locale hatch_build.py -type f \
      -not -name '*.mo' -print0 | sort -z | xargs -0 cat; } | sha256sum)
  if [ -x .venv/bin/python ] && [ -f buyin_workbook/labextension/package.json ] \
    && [ "$(cat .venv/workbook-installed 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  if [ ! -x .venv/bin/python ]; then
    echo "Setting up the workbook in .venv (the first time takes a few minutes)..."
    python3 -m venv .venv
  else
    echo "Installing the workbook again (its setup or extension changed)..."
  fi
  local pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
  local started=$SECONDS
  .venv/bin/python - <<'PY' >.venv/build-requirements.txt
import tomllib

with open("pyproject.toml", "rb") as f:
    print("\n".join([*tomllib.load(f)["build-system"]["requires"], "editables"]))
PY
  echo "  [1/2] the build tools (hatchling, JupyterLab's extension builder)..."
  "${pip[@]}" -r .venv/build-requirements.txt || return 1
  # Installing builds the JupyterLab extension too (with jlpm, from the environment).
  local extras
  extras=$(IFS=,; echo "$*")
  echo "  [2/2] the workbook and what it needs (JupyterLab, Voila, pandas, altair${extras:+; extras: $extras}),"
  echo "        then its JupyterLab extension (built with Node.js)..."
  # A failed install leaves no stamp, so the next run tries again.
  PATH="$PWD/.venv/bin:$PATH" "${pip[@]}" --no-build-isolation -e ".${extras:+[$extras]}" || return 1
  echo "$stamp" >.venv/workbook-installed
  echo "Set up in $((SECONDS - started)) s; the next start skips this while nothing changes."
}
