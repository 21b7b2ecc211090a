"""Import and upload limits, read from Django's settings.

Every limit that keeps a hostile or runaway file harmless is a setting, so an
operator can tighten it without changing code (see docs/import.md). settings.py
reads the ``WALKWELL_*`` environment variables, as it does every other setting;
this module reads only ``django.conf.settings``, at call time, so a test can
override a limit.
"""

from __future__ import annotations

from django.conf import settings

from walkwell.importers.base import ImportLimits

GB = 1024**3
DEFAULTS = ImportLimits()


def _int(name: str, default: int) -> int:
    """The setting ``name``; ``default`` when settings.py does not define it."""
    configured = getattr(settings, name, None)
    return default if configured is None else int(configured)


def import_limits() -> ImportLimits:
    """The hostile-input limits the importers read files with."""
    return ImportLimits(
        max_file_bytes=_int("WALKWELL_IMPORT_MAX_FILE_BYTES", DEFAULTS.max_file_bytes),
        max_archive_members=_int(
            "WALKWELL_IMPORT_MAX_ARCHIVE_MEMBERS", DEFAULTS.max_archive_members
        ),
        max_member_bytes=_int(
            "WALKWELL_IMPORT_MAX_MEMBER_BYTES", DEFAULTS.max_member_bytes
        ),
        max_total_uncompressed_bytes=_int(
            "WALKWELL_IMPORT_MAX_TOTAL_UNCOMPRESSED_BYTES",
            DEFAULTS.max_total_uncompressed_bytes,
        ),
        max_compression_ratio=float(
            getattr(
                settings,
                "WALKWELL_IMPORT_MAX_COMPRESSION_RATIO",
                DEFAULTS.max_compression_ratio,
            )
        ),
        max_xml_depth=_int("WALKWELL_IMPORT_MAX_XML_DEPTH", DEFAULTS.max_xml_depth),
    )


def upload_max_files() -> int:
    """How many files one upload may carry."""
    return _int("WALKWELL_UPLOAD_MAX_FILES", 20)


def upload_max_bytes() -> int:
    """The largest upload (all its files together), in bytes."""
    return _int("WALKWELL_UPLOAD_MAX_BYTES", 5 * GB)
