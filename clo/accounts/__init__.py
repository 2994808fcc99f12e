"""Sign-in accounts: how the council's staff sign in (OpenID Connect, LDAP / Active Directory, invitations, local
passwords) and how a sign-in is linked to the staff register. Sits on clo.people: it reads employees and never creates
one."""
