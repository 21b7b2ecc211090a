"""An HTTP client for the drills: the JSON API with a token, or the site's own
forms with a signed-in session (CSRF and all), over the standard library.

Every write carries something unique (a walk's idempotency key, a check-in's
day), so what the client was told was stored can be looked up in the database
afterwards.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

TIMEOUT_S = 60.0
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass(frozen=True)
class Answer:
    status: int  # 0: no answer (the connection failed or was cut)
    body: bytes = b""
    error: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One person's connection to WalkWell (cookies kept, as a browser does)."""

    def __init__(self, base: str, token: str = "", *, follow: bool = True) -> None:
        self.base = base
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        handlers: list[urllib.request.BaseHandler] = [
            urllib.request.HTTPCookieProcessor(self.jar)
        ]
        if not follow:  # a form's redirect is its answer: 302 is "stored"
            handlers.append(_NoRedirect())
        self.opener = urllib.request.build_opener(*handlers)

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: object = None,
        form: dict[str, str] | None = None,
        raw: bytes | None = None,
        content_type: str = "",
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = dict(headers or {})
        data = raw
        if raw is not None:
            sent["Content-Type"] = content_type
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        if json_body is not None:
            data = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = self.base + path
        # the drill's own http:// address, never a file: or other scheme
        url = self.base + path
        wanted = urllib.request.Request(url, data=data, headers=sent, method=method)  # noqa: S310
        try:
            with self.opener.open(wanted, timeout=TIMEOUT_S) as answer:
                return Answer(int(answer.status), answer.read())
        except urllib.error.HTTPError as refused:
            return Answer(int(refused.code), refused.read())
        except OSError as failed:  # refused, reset, cut off, timed out
            return Answer(0, error=f"{type(failed).__name__}: {failed}")

    def csrf(self, path: str) -> tuple[Answer, str]:
        page = self.request("GET", path)
        found = _CSRF.search(page.text)
        return page, found.group(1) if found else ""

    def sign_in(self, username: str, password: str) -> Answer:
        page, token = self.csrf("/accounts/sign-in/")
        if page.status != 200:
            return page
        form = {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token,
        }
        return self.request("POST", "/accounts/sign-in/", form=form)

    # -- the writes a drill matches afterwards ------------------------------

    def walk_api(self, day: str, key: str) -> Answer:
        body = {"date": day, "minutes": 12, "pain_before": 2, "pain_during": 3,
                "pain_after": 2, "idempotency_key": key}  # fmt: skip
        return self.request("POST", "/api/v1/me/walks", json_body=body)

    def checkin_api(self, day: str) -> Answer:
        body = {"date": day, "pain": 3, "stiffness_min": 10, "sleep": 7, "focus": 7}
        return self.request("POST", "/api/v1/me/checkins", json_body=body)


def new_key() -> str:
    """A walk's idempotency key: 32 hex digits."""
    return uuid.uuid4().hex


def json_of(answer: Answer) -> Any:
    return json.loads(answer.body) if answer.body else None
