"""Run the test identity provider: ``python -m tests.accounts.idp.serve <port> <people.json>``.

people.json: {"client": {"client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris"},
"people": [{"username", "password", "email", "employee_number", "groups"}]}. Migrates its SQLite database, loads
the client and the people, then serves on 127.0.0.1:<port> until killed."""

import json
import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.accounts.idp.settings"


def main() -> None:
    port, people_file = int(sys.argv[1]), sys.argv[2]
    if os.environ.get("IDP_NOW"):  # the tests' clock (CLO_TEST_NOW): the tokens' times agree with the client's
        import datetime as dt

        import time_machine

        time_machine.travel(dt.datetime.fromisoformat(os.environ["IDP_NOW"]), tick=True).start()
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    with open(people_file, encoding="utf-8") as source:
        data = json.load(source)
    client = data["client"]
    Application.objects.create(
        name="clo", client_id=client["client_id"], client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirect_uris"]),
        post_logout_redirect_uris=" ".join(client.get("post_logout_redirect_uris", [])),
        algorithm=Application.RS256_ALGORITHM, skip_authorization=True,
    )
    for person in data["people"]:
        user = User.objects.create_user(person["username"], person["email"], person["password"],
                                        last_name=person.get("employee_number", ""))
        for name in person.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])

    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
    from socketserver import ThreadingMixIn

    from django.core.wsgi import get_wsgi_application

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", port, get_wsgi_application(), server_class=Server, handler_class=QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
