from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "walkwell.web.program"
    label = "program"
    default_auto_field = "django.db.models.BigAutoField"
