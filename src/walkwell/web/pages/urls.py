from django.urls import URLPattern, path

from walkwell.web.pages import (
    care,
    daily,
    imported,
    insight,
    navigation,
    onboarding,
    symptoms,
)

app_name = "pages"

urlpatterns: list[URLPattern] = [
    path("", daily.today, name="today"),
    path("start/", onboarding.start, name="start"),
    path("start/screening/", onboarding.screening, name="screening"),
    path("start/seek-care/", onboarding.seek_care, name="seek_care"),
    path("start/baseline/", onboarding.baseline, name="baseline"),
    path("plan/", onboarding.plan, name="plan"),
    path("walk/", daily.walk, name="walk"),
    path("log/", daily.log_walk, name="log_walk"),
    path("check-in/", daily.checkin, name="checkin"),
    path("symptom/", symptoms.symptom, name="symptom"),
    path("clearance/", daily.record_clearance, name="clearance"),
    path("rescreen/", daily.rescreen, name="rescreen"),
    path("readiness/", daily.readiness_answers, name="readiness"),
    path("readiness/go-ahead/", daily.record_go_ahead, name="go_ahead"),
    path("measures/", daily.measures, name="measures"),
    path("progress/", insight.progress, name="progress"),
    path("progress/report.pdf", insight.progress_report, name="progress_report"),
    path("learn/", insight.learn, name="learn"),
    path("learn/<slug:slug>/", insight.lesson, name="lesson"),
    path("calendar/<str:token>.ics", insight.calendar, name="calendar"),
    path("manifest.webmanifest", insight.manifest, name="manifest"),
    path("sw.js", insight.service_worker, name="service_worker"),
    path("offline/", insight.offline, name="offline"),
    path("more/", navigation.more, name="more"),
    path("care/", care.care, name="care"),
    path("care/unlink/", care.unlink, name="care_unlink"),
    path("care/join/", care.join_code, name="care_join_code"),
    path("care/join/<str:token>/", care.join, name="care_join"),
    # under /imports/ as before; the imports app's own addresses do not match it
    path(
        "imports/walks/<int:walk_id>/answers/",
        imported.walk_answers,
        name="walk_answers",
    ),
]
