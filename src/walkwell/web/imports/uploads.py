"""Upload size, refused before the body is read.

The whole request is judged by its Content-Length before any byte of the body is
read; each file is counted as it streams in, and the upload stops at the first
byte past the per-file limit. Nothing of a refused upload is kept.
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from walkwell.web.imports import conf

# Room for the form's other fields and the multipart boundaries around the files.
FORM_OVERHEAD_BYTES = 64 * 1024
REFUSAL = "walkwell_upload_refusal"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def refusal_before_reading(request: HttpRequest) -> str:
    """Why the request is too large, judged from its Content-Length alone ('' if not)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return "the upload's size could not be read; please try again"
    limit = conf.upload_max_bytes()
    if length > limit + FORM_OVERHEAD_BYTES:
        return (
            f"the files together are about {_megabytes(length)}, more than the limit "
            f"of {_megabytes(limit)}; import fewer files at once"
        )
    return ""


class BoundedUpload(FileUploadHandler):
    """Counts each file's bytes as they arrive and stops past the per-file limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = conf.import_limits().max_file_bytes
        self.received = 0

    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)  # type: ignore[arg-type]
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                setattr(
                    self.request,
                    REFUSAL,
                    f"{self.file_name}: larger than the limit of "
                    f"{_megabytes(self.limit)} for one file",
                )
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers store the file


def refusal_while_reading(request: HttpRequest) -> str:
    """The per-file refusal the handler recorded while the body streamed in."""
    return str(getattr(request, REFUSAL, ""))
