"""Keep secrets that travel in addresses out of the logs.

A calendar feed's address is its secret (calendar apps cannot send a header), a
password-reset link carries a one-time token, and a reminder email's unsubscribe
link a signed one; the development server's access log and Django's "Not Found"
and "Gone" warnings would write them out in full.
"""

from __future__ import annotations

import logging
import re

SECRET_PATHS = (
    (re.compile(r"/calendar/[^/\s\"?]+\.ics"), "/calendar/[secret].ics"),
    (
        re.compile(r"/accounts/password-reset/[^/\s\"?]+/[^/\s\"?]+/"),
        "/accounts/password-reset/[secret]/",
    ),
    (
        re.compile(r"/accounts/unsubscribe/[^/\s\"?]+/"),
        "/accounts/unsubscribe/[secret]/",
    ),
)


def redact(text: str) -> str:
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrite a record's message with the secrets in addresses replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
