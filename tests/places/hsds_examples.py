"""The Open Referral HSDS 3.0 schemas and examples kept beside the tests, and the example data package as a zip."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

HSDS = Path(__file__).resolve().parent / "hsds-3.0"


def example_package() -> bytes:
    """The specification's tabular example, zipped as a partner would send it (without datapackage.json)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((HSDS / "examples/csv").glob("*.csv")):
            zf.write(path, path.name)
    return out.getvalue()
