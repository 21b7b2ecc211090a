from django.urls import URLPattern, path

from walkwell.web.accounts import views, views_data, views_reminders, views_two_factor

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("password/", views.PasswordView.as_view(), name="password"),
    path("two-factor/", views_two_factor.verify, name="two_factor_verify"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/two-factor/", views_two_factor.setup, name="two_factor_setup"),
    path(
        "settings/two-factor/backup-codes/",
        views_two_factor.backup_codes,
        name="two_factor_backup_codes",
    ),
    path("settings/two-factor/off/", views_two_factor.remove, name="two_factor_remove"),
    path("settings/email/", views.email, name="email"),
    path("password-reset/", views.ResetRequestView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        views.ResetSentView.as_view(),
        name="password_reset_sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.ResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("settings/calendar/", views.new_calendar_link, name="new_calendar_link"),
    path("settings/tokens/", views.token_create, name="token_create"),
    path(
        "settings/tokens/<int:token_id>/revoke/",
        views.token_revoke,
        name="token_revoke",
    ),
    path("settings/data/", views_data.data_page, name="data"),
    path("settings/data/export/", views_data.export_download, name="export"),
    path(
        "settings/data/exports/<str:name>", views_data.export_ready, name="export_ready"
    ),
    path("settings/data/restore/", views_data.restore_upload, name="restore"),
    path("settings/delete/", views_data.delete_account, name="delete"),
    path(
        "unsubscribe/<str:token>/",
        views_reminders.unsubscribe_page,
        name="unsubscribe",
    ),
]
