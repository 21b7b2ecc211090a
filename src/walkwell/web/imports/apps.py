from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "walkwell.web.imports"
    label = "imports"
    verbose_name = "WalkWell imports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # models can be imported only once the app registry is ready
        from walkwell.web.imports import ownership  # noqa: PLC0415

        ownership.register()
