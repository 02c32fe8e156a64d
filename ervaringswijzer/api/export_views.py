"""GET /api/v1/export/<format>: the places the list shows for these filters, streamed in one of five formats."""
from __future__ import annotations

import tempfile

from flask import Response, request, stream_with_context

from ..errors import api_error
from ..places.exporting import (EXTENSIONS, FORMATS, MEDIA_TYPES, TEXT_WRITERS, csv_chunks, export_dicts, iter_places,
                                write_export)
from ..places.filters import parse_filters
from . import bp

CHUNK = 64 * 1024


def _buffered(chunks):
    """Join small pieces into ~64 kB writes: one place per write would be slow to send."""
    buffer, size = [], 0
    for chunk in chunks:
        buffer.append(chunk)
        size += len(chunk)
        if size >= CHUNK:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def _zip_chunks(filters):
    # A zip's directory comes last, so the package is built in a temporary file first (on disk
    # beyond 8 MB), then sent in pieces.
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        write_export("hsds-csv", iter_places(filters), out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk


@bp.route("/export/<fmt>")
def export(fmt: str):
    if fmt not in FORMATS:
        return api_error("not_found", f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.", 404)
    filters, _page, _per_page, errors = parse_filters(request.args)
    if errors:
        field, message = next(iter(errors.items()))
        return api_error("bad_parameter", f"{field}: {message}", 400)
    delimiter = request.args.get("delimiter", ",")
    if delimiter not in (",", ";"):
        return api_error("bad_parameter", "delimiter: use , or ;", 400)
    if fmt == "hsds-csv":
        body = _zip_chunks(filters)
    elif fmt == "csv":
        body = _buffered(csv_chunks(export_dicts(iter_places(filters)), delimiter))
    else:
        body = _buffered(TEXT_WRITERS[fmt](export_dicts(iter_places(filters))))
    response = Response(stream_with_context(body), mimetype=MEDIA_TYPES[fmt].split(";")[0])
    if fmt == "csv":
        response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="ervaringswijzer-plekken.{EXTENSIONS[fmt]}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
