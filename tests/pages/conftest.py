"""The English pages need the compiled catalog; .mo files are not committed, so build them here."""
import subprocess
import sys
from pathlib import Path

import pytest

TRANSLATIONS = Path(__file__).resolve().parents[2] / "ervaringswijzer" / "translations"


def compile_catalogs() -> None:
    """Compile every .po whose .mo is missing or older, failing loudly on a broken catalog."""
    stale = [po for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")
             if not po.with_suffix(".mo").exists()
             or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if stale:
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "compile",
                        "-d", str(TRANSLATIONS)], check=True)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    compile_catalogs()
