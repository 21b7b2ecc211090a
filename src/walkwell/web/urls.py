from django.urls import URLPattern, URLResolver, include, path

from walkwell.web.api.main import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("accounts/", include("walkwell.web.accounts.urls")),
    path("imports/", include("walkwell.web.imports.urls")),
    path("clinic/", include("walkwell.web.clinic.urls")),
    path("", include("walkwell.web.pages.urls")),
]
