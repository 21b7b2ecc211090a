from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", include("walkwell.web.accounts.urls")),
    path("imports/", include("walkwell.web.imports.urls")),
    path("clinic/", include("walkwell.web.clinic.urls")),
    path("", include("walkwell.web.pages.urls")),
]
