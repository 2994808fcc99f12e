from django.urls import path

from clo.accounts import views, views_signin

app_name = "accounts"

urlpatterns: list = [
    path("oidc/start/", views_signin.oidc_start, name="oidc_start"),
    path("oidc/callback/", views_signin.oidc_callback, name="oidc_callback"),
    path("local-login/", views_signin.local_login, name="local_login"),
    path("people/", views.account_list, name="account_list"),
    path("invitations/", views.invite, name="invite"),
    path("invitations/jobs/<int:job_id>/", views.invitation_job, name="invitation_job"),
    path("invitations/resend/<int:employee_id>/", views.invitation_resend, name="invitation_resend"),
    path("invitation/<str:uidb64>/renew/", views.invitation_renew, name="invitation_renew"),
    path("invitation/<str:uidb64>/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<str:uidb64>/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("two-factor/", views.mfa_enrol, name="mfa_enrol"),
    path("two-factor/code/", views.mfa_verify, name="mfa_verify"),
]
