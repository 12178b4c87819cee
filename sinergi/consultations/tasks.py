"""Background work of consultations (django-tasks): recomputing results, closing consultations past their time."""

from django.db.models import F, Q
from django_tasks import task

from sinergi.consultations.models import Consultation
from sinergi.consultations.states import ConsultationStatus


@task()
def consultation_recompute(consultation_id: int) -> int:
    """Recompute one consultation's opinion map; returns the change sequence the stored result counts (−1 when
    the consultation is gone or a newer result was stored meanwhile).

    The pending flag is cleared first: votes cast while this runs request (and enqueue) the next recompute.
    """
    from sinergi.consultations.results import recompute

    Consultation.objects.filter(pk=consultation_id).update(recompute_requested_at=None)
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return -1
    result = recompute(consultation)
    return -1 if result is None else result.change_sequence


def stale_consultation_ids() -> list[int]:
    """Published consultations whose stored result does not count every vote yet (or that have none), or whose
    summary has an older layout than the pages draw (a closed consultation gets no new vote to refresh it)."""
    from sinergi.consultations.results import SUMMARY_VERSION

    return list(
        Consultation.objects.exclude(status=ConsultationStatus.DRAFT)
        .filter(
            Q(result__isnull=True, vote_sequence__gt=0)
            | Q(result__change_sequence__lt=F("vote_sequence"))
            | Q(result__summary__version__lt=SUMMARY_VERSION)
        )
        .values_list("pk", flat=True)
    )


@task()
def consultations_close_due_task() -> list[str]:
    """Close consultations past their closing time (each close enqueues its final recompute)."""
    from sinergi.consultations.services import consultations_close_due

    return consultations_close_due()
