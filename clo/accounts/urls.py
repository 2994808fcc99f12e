from django.urls import path

from clo.accounts import views

app_name = "accounts"

urlpatterns: list = [
    path("oidc/start/", views.oidc_start, name="oidc_start"),
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("local-login/", views.local_login, name="local_login"),
]
