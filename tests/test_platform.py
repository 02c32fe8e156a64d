"""The Makefile finds a Python 3.12+ that really runs, and the app serves only the assets it uses."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIND_PYTHON = Path(__file__).resolve().parent.parent / "scripts" / "find-python.sh"


def run_finder(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """find-python.sh with only tmp_path/bin and the system on PATH and tmp_path/pyenv as pyenv root."""
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "PYENV_ROOT": str(tmp_path / "pyenv")}
    return subprocess.run(["sh", str(FIND_PYTHON), *args], env=env, capture_output=True, text=True, timeout=60)


def test_finder_skips_a_shim_that_does_not_run_and_finds_pyenv_versions(tmp_path):
    """A python3.13 on PATH that exits 127 is passed over for a working 3.12+ under pyenv's versions."""
    (tmp_path / "bin").mkdir()
    shim = tmp_path / "bin" / "python3.13"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.13: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    version_bin = tmp_path / "pyenv" / "versions" / "3.13.0" / "bin"
    version_bin.mkdir(parents=True)
    (version_bin / "python3").symlink_to(sys.executable)
    found = run_finder(tmp_path)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).resolve() == Path(sys.executable).resolve()


def test_finder_says_what_to_install_when_nothing_runs(tmp_path):
    """Without any Python 3.12+ the finder fails and names what to install; a too-old PYTHON= is refused."""
    (tmp_path / "bin").mkdir()
    old = tmp_path / "bin" / "python3.12"
    old.write_text("#!/bin/sh\nexit 127\n")
    old.chmod(0o755)
    nothing = run_finder(tmp_path)
    assert nothing.returncode == 1 and nothing.stdout == ""
    assert "needs Python 3.12 or newer" in nothing.stderr and "pyenv install 3.13" in nothing.stderr
    refused = run_finder(tmp_path, str(old))
    assert refused.returncode == 1 and "not a working Python 3.12 or newer" in refused.stderr


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_jquery_is_not_served(client):
    """Leaflet comes from the app; jQuery, which no page of the app uses, does not."""
    with client.get("/static/vendor/leaflet/leaflet.js") as leaflet:
        assert leaflet.status_code == 200 and b"Leaflet" in leaflet.get_data()[:2000]
    assert client.get("/static/vendor/jquery/jquery.min.js").status_code == 404
