from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "walkwell.web.pages"
    label = "pages"
    verbose_name = "WalkWell pages"
    default_auto_field = "django.db.models.BigAutoField"
