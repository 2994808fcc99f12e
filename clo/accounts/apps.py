from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "clo.accounts"
    label = "accounts"
    verbose_name = _("Sign-in accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from clo.accounts import mfa

        user_logged_in.connect(mfa.on_login, dispatch_uid="clo.accounts.mfa.on_login")
