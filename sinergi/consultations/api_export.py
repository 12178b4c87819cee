"""Download a consultation's votes in Polis's export shapes (API v1; the lead mounts `router` under
``/consultations``: ``GET /api/v1/consultations/{slug}/polis/{file}``).

Only closed consultations are offered, to everyone who may see their results: like Polis's open data, the export
is the record of a finished conversation. Participants appear as row numbers only; vote times are cut to the day
(Western Indonesian Time) so a row cannot be linked to a person by when they were seen voting. Managers who need
exact times use the `export_polis` management command.
"""

import io
from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Path, Router

from sinergi.consultations.models import Consultation
from sinergi.consultations.polis_io import write_polis_export
from sinergi.consultations.states import ConsultationStatus

router = Router()
SlugPath = Path(..., max_length=120, pattern=r"^[-a-zA-Z0-9_]+$")
FilePath = Path(...)

PolisFile = Literal["comments.csv", "votes.csv", "participants-votes.csv"]


@router.get(
    "/{slug}/polis/{file}",
    summary="Ekspor bentuk Polis (comments.csv, votes.csv, participants-votes.csv) konsultasi yang sudah ditutup",
    response={200: None},
)
def polis_export_file(
    request: HttpRequest,
    slug: str = SlugPath,
    file: PolisFile = FilePath,
) -> HttpResponse:
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None or not request.user.has_perm("consultations.view_results", consultation):
        raise Http404
    if consultation.status != ConsultationStatus.CLOSED:
        raise Http404
    buffer = io.StringIO()
    write_polis_export(consultation, {file: buffer}, day_precision=True)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-{file}"'
    return response
