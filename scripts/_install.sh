# Sourced by scripts/start and scripts/test: the project's virtual environment, with the
# workbook installed in it as an editable package (and the extras named in "$@").
#
# The build backends are installed into the environment once and the package is built
# without pip's isolated build environment, which would install JupyterLab afresh into a
# temporary environment at every run (about 50 s of each).

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
_pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
.venv/bin/python - <<'PY' >.venv/build-requirements.txt
import tomllib

with open("pyproject.toml", "rb") as f:
    print("\n".join([*tomllib.load(f)["build-system"]["requires"], "editables"]))
PY
"${_pip[@]}" -r .venv/build-requirements.txt
# Installing builds the JupyterLab extension too (with jlpm, from the environment).
extras=$(IFS=,; echo "$*")
PATH="$PWD/.venv/bin:$PATH" "${_pip[@]}" --no-build-isolation -e ".${extras:+[$extras]}"
