from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "walkwell.web.imports"
    label = "imports"
    verbose_name = "WalkWell imports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from walkwell.web.imports import ownership

        ownership.register()
