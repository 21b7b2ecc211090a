from django.contrib.staticfiles.views import serve as serve_static
from django.urls import URLPattern, URLResolver, include, path, re_path

urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", include("walkwell.web.accounts.urls")),
    path("imports/", include("walkwell.web.imports.urls")),
    path("", include("walkwell.web.pages.urls")),
    # Self-hosted on one machine: the app serves its own few static files, so
    # `walkwell serve` works without a separate web server or collectstatic.
    re_path(r"^static/(?P<path>.*)$", serve_static, {"insecure": True}),
]
