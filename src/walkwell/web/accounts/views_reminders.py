"""Unsubscribe from reminder emails without signing in.

The link in each email carries a signed token naming the account and the topic
(``accounts.unsubscribe``). GET shows a page asking to confirm and changes
nothing (mail scanners and link previews open links); POST unsubscribes. The POST
is exempt from the CSRF check because RFC 8058's one-click unsubscribe is a POST
from the mail client (body ``List-Unsubscribe=One-Click``) with no cookie; the
signed token in the address is what authorises it, and all it can do is stop
one kind of email.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from walkwell.web.accounts import reminders, unsubscribe
from walkwell.web.accounts.reminder_mail import TOPIC_WORDS


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = unsubscribe.read(token)
    except unsubscribe.BadTokenError as bad:
        return render(
            request,
            "accounts/unsubscribe_bad.html",
            {"expired": bad.expired},
            status=410 if bad.expired else 400,
        )
    context = {"topic": TOPIC_WORDS[found.topic], "token": token}
    if request.method != "POST":
        return render(request, "accounts/unsubscribe.html", context)
    done = reminders.unsubscribe(user_id=found.user_id, topic=found.topic)
    if not done:
        return render(
            request, "accounts/unsubscribe_bad.html", {"gone": True}, status=410
        )
    return render(request, "accounts/unsubscribed.html", context)
