"""Outbound webhooks: a real HTTP server (http.server in a thread) receives clo's signed POSTs and checks the
signature the Standard Webhooks way; a failing receiver is retried by Celery until it answers, or the delivery is
marked failed; the delivery log is on the webhook's page, for HR and the learning office only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from clo.api import tasks
from clo.api import webhooks as services
from clo.api.models import Webhook, WebhookDelivery
from programs.services import annual_plan as plan_services
from programs.services import delivery as delivery_services
from programs.services import needs as need_services
from tests import factories as f

pytestmark = pytest.mark.django_db


class Receiver:
    """A receiving system on a spare port: answers each POST with the next status of ``answers`` (the last one
    ever after), and keeps what it received with whether the signature was right."""

    def __init__(self, answers=(204,)):
        self.answers, self.received, self.secret = list(answers), [], None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body,
                                          "verified": receiver.verify(self.headers, body)})
                status = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/clo"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def verify(self, headers, body: bytes) -> bool:
        """What a receiver does with the secret it was given (Standard Webhooks, version 1)."""
        key = base64.b64decode(self.secret.removeprefix("whsec_"))
        signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        given = [part.split(",", 1)[1] for part in headers["webhook-signature"].split() if part.startswith("v1,")]
        return any(hmac.compare_digest(expected, value) for value in given)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(answers=(204,)):
        made.append(Receiver(answers))
        return made[-1]

    yield make
    for one in made:
        one.close()


def subscribe(receiver, clo_user, events) -> Webhook:
    webhook, secret = services.webhook_create(name="HR system", url=receiver.url, events=events, created_by=clo_user)
    receiver.secret = secret
    return webhook


def test_an_approved_enrolment_reaches_the_receiver_signed(
        receiver, clo_user, employee_a, director_a, eager_tasks, django_capture_on_commit_callbacks):
    hr = receiver()
    webhook = subscribe(hr, clo_user, ["enrolment.decided"])
    other = subscribe(receiver(), clo_user, ["plan.approved"])  # not listening to enrolments
    session = f.SessionFactory(program=f.ProgramFactory(code="P-HOOK"), code="S-HOOK")
    enrolment = delivery_services.enrolment_request(session=session, employee=employee_a)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.enrolment_approve(enrolment=enrolment, by=director_a.user)
    [received] = hr.received
    assert received["verified"]
    body = json.loads(received["body"])
    assert body["type"] == "enrolment.decided" and body["data"]["enrolment"] == enrolment.pk
    assert body["data"]["status"] == "approved" and body["data"]["session"] == "S-HOOK"
    assert body["data"]["employee_number"] == employee_a.employee_number
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)
    assert received["headers"]["webhook-id"] == delivery.message_id
    assert not other.deliveries.exists()


def test_a_forged_body_does_not_verify(receiver, clo_user):
    hr = receiver()
    subscribe(hr, clo_user, ["plan.approved"])
    signature = services.sign(secret=hr.secret, message_id="msg_1", timestamp=1, body=b'{"a":1}')
    assert hr.verify({"webhook-id": "msg_1", "webhook-timestamp": "1", "webhook-signature": signature}, b'{"a":1}')
    assert not hr.verify({"webhook-id": "msg_1", "webhook-timestamp": "1", "webhook-signature": signature},
                         b'{"a":2}')


def run_with_retries(delivery_id: int) -> None:
    """The delivery task as Celery runs it, its retries included (``apply``: in this process, each retry at once
    instead of after its countdown; Celery applies a retry only when eager errors do not propagate)."""
    from celery import current_app

    saved, current_app.conf.task_eager_propagates = current_app.conf.task_eager_propagates, False
    try:
        tasks.webhook_deliver.apply(args=[delivery_id])
    finally:
        current_app.conf.task_eager_propagates = saved


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(receiver, clo_user):
    flaky = receiver(answers=(500, 503, 200))
    webhook = subscribe(flaky, clo_user, ["plan.approved"])
    [delivery_id] = services.webhook_event(event="plan.approved", payload={"plan": 1, "year": 2031})
    assert services.webhook_attempt(delivery_id=delivery_id) == services.RETRY_SECONDS[0]  # 500: again in 30 s
    run_with_retries(delivery_id)
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert len({request["headers"]["webhook-id"] for request in flaky.received}) == 1  # the same message each time
    assert all(request["verified"] for request in flaky.received) and delivery.webhook == webhook


def test_a_receiver_that_never_answers_well_fails_the_delivery_after_the_last_attempt(receiver, clo_user):
    down = receiver(answers=(500,))
    subscribe(down, clo_user, ["need.decided"])
    [delivery_id] = services.webhook_event(event="need.decided", payload={"need": 1})
    run_with_retries(delivery_id)
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert len(down.received) == services.MAX_ATTEMPTS and delivery.last_error == "HTTP 500"
    run_with_retries(delivery_id)  # a late duplicate message sends nothing more
    assert len(down.received) == services.MAX_ATTEMPTS


def test_a_rejected_need_and_an_approved_plan_are_announced(monkeypatch, clo_user, org):
    announced = []
    monkeypatch.setattr("clo.core.tasks.announce", lambda event, payload: announced.append((event, payload)))
    need = f.TrainingNeedFactory(unit=org.unit_a1, status="submitted", title="Plain letters")
    need_services.need_reject(need=need, actor=clo_user, reason="Covered by the catalogue")
    plan = f.TrainingPlanFactory(year=2031, budget=Decimal("2000"))
    f.PlanActionFactory(plan=plan, estimated_cost=Decimal("1500"))
    plan_services.plan_approve(plan=plan, actor=clo_user, now=timezone.now())
    assert [event for event, _p in announced] == ["need.decided", "plan.approved"]
    assert announced[0][1] | {"need": need.pk, "status": "rejected", "unit": "A1"} == announced[0][1]
    assert announced[1][1]["year"] == 2031 and announced[1][1]["cost"] == "1500.00"
    json.dumps(announced)  # plain JSON, as Celery sends it


def test_the_pages_make_a_webhook_show_its_secret_once_and_its_log(clo_client, clo_user, receiver, english):
    down = receiver(answers=(500,))
    response = clo_client.post(reverse("api:webhooks"), {"name": "Intranet", "url": down.url,
                                                         "events": ["plan.approved"]})
    webhook = Webhook.objects.get()
    assert response.status_code == 200 and webhook.secret in response.content.decode()
    down.secret = webhook.secret  # copied from the page into the receiving system
    assert webhook.secret not in clo_client.get(reverse("api:webhooks")).content.decode()
    [delivery_id] = services.webhook_event(event="plan.approved", payload={"plan": 1})
    run_with_retries(delivery_id)
    page = clo_client.get(reverse("api:webhook_detail", args=[webhook.pk]), HTTP_HX_REQUEST="true")
    text = page.content.decode()
    assert page.status_code == 200 and "<h1>" not in text and "HTTP 500" in text and "Failed" in text
    clo_client.post(reverse("api:webhook_active", args=[webhook.pk]), {"active": "0"})
    webhook.refresh_from_db()
    assert not webhook.active and services.webhook_event(event="plan.approved", payload={}) == []
    invalid = clo_client.post(reverse("api:webhooks"), {"name": "X", "url": "not a url", "events": []})
    assert invalid.status_code == 422


def test_only_hr_and_the_learning_office_reach_the_webhooks(client, clo_user, director_a, employee_a):
    webhook, _secret = services.webhook_create(name="HR", url="https://hr.example/hook", events=["plan.approved"],
                                               created_by=clo_user)
    for person in (director_a, employee_a):
        client.force_login(person.user)
        assert client.get(reverse("api:webhooks")).status_code == 404
        assert client.post(reverse("api:webhooks"), {"name": "X", "url": "https://x.example",
                                                     "events": ["plan.approved"]}).status_code == 404
        assert client.get(reverse("api:webhook_detail", args=[webhook.pk])).status_code == 404
        assert client.post(reverse("api:webhook_active", args=[webhook.pk]), {"active": "0"}).status_code == 404
    assert Webhook.objects.get().active and Webhook.objects.count() == 1
