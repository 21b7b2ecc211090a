from django.urls import URLPattern, path

from walkwell.web.accounts import views

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("password/", views.PasswordView.as_view(), name="password"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/calendar/", views.new_calendar_link, name="new_calendar_link"),
]
