from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "walkwell.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # models can be imported only once the app registry is ready
        from walkwell.web.accounts import ownership  # noqa: PLC0415

        ownership.register()
