# Sourced by scripts/start and scripts/test: `install_workbook [extra ...]` makes the
# project's virtual environment and installs the workbook in it as an editable package (with
# the extras named).
#
# The build backends are installed into the environment once and the package is built
# without pip's isolated build environment, which would install JupyterLab afresh into a
# temporary environment at every run (about 50 s of each).

install_workbook() {
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  local pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
  .venv/bin/python - <<'PY' >.venv/build-requirements.txt
import tomllib

with open("pyproject.toml", "rb") as f:
    print("\n".join([*tomllib.load(f)["build-system"]["requires"], "editables"]))
PY
  "${pip[@]}" -r .venv/build-requirements.txt
  # Installing builds the JupyterLab extension too (with jlpm, from the environment).
  local extras
  extras=$(IFS=,; echo "$*")
  PATH="$PWD/.venv/bin:$PATH" "${pip[@]}" --no-build-isolation -e ".${extras:+[$extras]}"
}
