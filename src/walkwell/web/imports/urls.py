from django.urls import URLPattern, path

from walkwell.web.imports import views

app_name = "imports"

urlpatterns: list[URLPattern] = [
    path("", views.upload, name="upload"),
    path("<int:run_id>/", views.run, name="run"),
    path("<int:run_id>/progress/", views.progress, name="progress"),
    path("<int:run_id>/retry/", views.retry, name="retry"),
]
