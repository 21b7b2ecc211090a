from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "walkwell.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from walkwell.web.accounts.models import Preferences
        from walkwell.web.program import records

        records.register(
            records.RecordType(
                "preferences",
                Preferences,
                "user",
                "Units, reminder times and habit slots (the calendar address's "
                "secret is not exported: a restored account gets a new one).",
                exclude=frozenset({"calendar_token"}),
            )
        )
