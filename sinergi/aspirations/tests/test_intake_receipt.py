"""The receipt of a submission is queued (as a task, in the same transaction) exactly when someone can get it."""

import pytest
from django_tasks_db.models import DBTaskResult

from sinergi.accounts.models import User
from sinergi.aspirations.models import AspirationEvent
from sinergi.aspirations.notify import event_recipients
from sinergi.aspirations.services.intake import aspiration_submit
from sinergi.aspirations.states import EventKind
from sinergi.aspirations.tests.test_intake import CANARY_EMAIL, CANARY_PHONE, submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_task_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def _submit(actor=None, **fields):
    result = aspiration_submit(submission=submission(**fields), actor=actor)
    event = AspirationEvent.objects.get(aspiration=result.aspiration, kind=EventKind.SUBMITTED)
    queued = DBTaskResult.objects.filter(task_path__endswith="aspiration_event_notify").count()
    return event, queued


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, 0),
        ({"phone": CANARY_PHONE}, 1),
        ({"email": CANARY_EMAIL}, 1),
        ({"phone": CANARY_PHONE, "wants_updates": False}, 0),
    ],
    ids=["no-contact", "phone", "email", "phone-but-no-updates"],
)
def test_receipt_is_queued_only_when_it_has_a_recipient(fields, expected):
    event, queued = _submit(**fields)
    assert queued == expected
    # The rule at intake is the notifier's own rule for a `submitted` event, not a second opinion.
    assert bool(event_recipients(event)) == bool(expected)


def test_an_account_with_an_email_gets_the_receipt():
    user = User.objects.create_user(username="warga-dengan-akun", email="warga@example.org", password="x" * 12)
    event, queued = _submit(actor=user)
    assert queued == 1
    assert [recipient.address for recipient in event_recipients(event)] == ["warga@example.org"]
