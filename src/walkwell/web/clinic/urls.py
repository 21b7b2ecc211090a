from django.urls import URLPattern, path

from walkwell.web.clinic import views

app_name = "clinic"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("invites/", views.invites, name="invites"),
    path("patients/<int:person_id>/", views.patient, name="patient"),
    path("patients/<int:person_id>/report.pdf", views.report, name="report"),
    path("patients/<int:person_id>/export/", views.export, name="export"),
    path(
        "patients/<int:person_id>/<str:which>/",
        views.act,
        name="act",
    ),
    path("admin/", views.admin, name="admin"),
]
