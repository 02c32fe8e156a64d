#!/bin/sh
# Prints the path of the newest Python 3.12+ that actually runs here (exit 1 and what to install
# when there is none). With an argument, checks only that interpreter.
# Each candidate is run, not just looked up: a pyenv shim for python3.13 is on PATH even when
# pyenv's selected version is 3.11, and then it exits 127.
MINIMUM="(3, 12)"

probe() {  # prints "<version number> <real path>" for a working interpreter of at least MINIMUM
  "$1" -c "import sys; assert sys.version_info >= $MINIMUM; print('%d%03d%03d' % sys.version_info[:3], sys.executable)" 2>/dev/null
}

if [ -n "${1:-}" ]; then
  if found=$(probe "$1"); then echo "${found#* }"; exit 0; fi
  echo "ERROR: PYTHON=$1 is not a working Python 3.12 or newer." >&2
  exit 1
fi

pyenv_root=$(pyenv root 2>/dev/null) || pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
best=""
best_version=0
for candidate in python3.14 python3.13 python3.12 python3 \
    "$pyenv_root"/versions/3.1[3-9]*/bin/python3 "$pyenv_root"/versions/3.12*/bin/python3; do
  found=$(probe "$candidate") || continue
  if [ "${found%% *}" -gt "$best_version" ]; then
    best_version=${found%% *}
    best=${found#* }
  fi
done

if [ -z "$best" ]; then
  cat >&2 <<'MSG'
ERROR: Ervaringswijzer needs Python 3.12 or newer, and none runs on this machine.
Install one, for example:
  Debian 13 / Ubuntu 24.04:  apt-get install python3 python3-venv
  any Linux, with pyenv:     pyenv install 3.13
then run make again, or point at it: make install PYTHON=/path/to/python3.13
MSG
  exit 1
fi
echo "$best"
