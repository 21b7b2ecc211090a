"""The clinician's patient page shows the same Progress charts the patient sees,
drawn by the same code from the same record, and every read of them is logged."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import User

from tests.cast import START
from tests.clinic.conftest import glass_open, signed_in
from tests.web.pages_support import client_for, first_days
from walkwell.web.program.models import AccessLog, Person

READ_ON = START + dt.timedelta(days=6)  # the first Sunday
CHART_IDS = (
    "chart-minutes",
    "chart-pain",
    "chart-stiffness",
    "chart-sleep",
    "chart-calendar",
)


def _story(alice: Person) -> None:
    first_days(alice, START)


def _charts(html: str) -> str:
    """The charts block: from its status line to the end of the calendar."""
    body = html[html.index('<div id="charts">') :]
    body = body[body.index('<p role="status">') :]
    return body[: body.index("</section>", body.index('id="chart-calendar-h"'))]


def test_the_clinician_sees_the_charts_the_patient_sees(
    alice: Person, chen: User
) -> None:
    _story(alice)
    mine = client_for(alice).get("/progress/").content.decode()
    theirs = signed_in(chen).get(f"/clinic/patients/{alice.pk}/").content.decode()
    for chart_id in CHART_IDS:
        assert f'id="{chart_id}-h"' in theirs, chart_id
    assert "You walked 22 minutes of" in theirs
    # The same drawings, summaries and tables, not a look-alike.
    assert _charts(theirs) == _charts(mine)


def test_the_clinician_chooses_the_range_as_the_patient_does(
    alice: Person, chen: User
) -> None:
    _story(alice)
    client = signed_in(chen)
    page = client.get(f"/clinic/patients/{alice.pk}/", {"range": "4w"})
    html = page.content.decode()
    assert re.search(r'href="\?range=4w"[^>]*aria-current="true"', html)
    wrong = client.get(f"/clinic/patients/{alice.pk}/", {"range": "forever"})
    assert re.search(
        r'href="\?range=12w"[^>]*aria-current="true"', wrong.content.decode()
    )


def test_another_range_comes_as_the_charts_alone_and_is_logged(
    alice: Person, chen: User
) -> None:
    _story(alice)
    response = signed_in(chen).get(
        f"/clinic/patients/{alice.pk}/", {"range": "1y"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="charts">')
    assert "Audit trail" not in html
    row = AccessLog.objects.filter(person=alice).latest("id")
    assert (row.actor_name, row.what, row.allowed) == ("chen", "patient charts", True)


def test_an_unrelated_clinician_gets_no_charts_and_the_refusal_is_logged(
    alice: Person, diaz: User
) -> None:
    _story(alice)
    client = signed_in(diaz)
    url = f"/clinic/patients/{alice.pk}/"
    for response in (client.get(url), client.get(url, HTTP_HX_REQUEST="true")):
        assert response.status_code == 403
        assert "chart-minutes" not in response.content.decode()
    refused = AccessLog.objects.filter(person=alice, actor_name="diaz")
    assert [r.allowed for r in refused] == [False, False]


def test_an_admin_sees_the_charts_only_through_break_glass(
    alice: Person, ada: User
) -> None:
    _story(alice)
    client = signed_in(ada)
    assert client.get(f"/clinic/patients/{alice.pk}/").status_code == 403
    glass_open(ada, alice)
    opened = client.get(f"/clinic/patients/{alice.pk}/")
    assert opened.status_code == 200
    assert 'id="chart-minutes-h"' in opened.content.decode()
    assert AccessLog.objects.filter(person=alice, break_glass=True).exists()
