"""Side effects of meetings, run after the transaction commits (django-tasks)."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from sinergi.core.templatetags.indonesian import hari_tanggal, jam
from sinergi.meetings.models import Invitation


@task()
def meeting_invitations_email(invitation_ids: list[int]) -> int:
    """E-mail each invited member who has an address; returns how many messages were sent.
    Addresses are read here, never written to the log or the task's arguments."""
    invitations = Invitation.objects.filter(pk__in=invitation_ids).select_related(
        "meeting__forum", "member__person__user"
    )
    site_url = settings.SINERGI["SITE_URL"].rstrip("/")
    messages = []
    for invitation in invitations:
        user = invitation.member.person.user
        if user is None or not user.email:
            continue
        meeting = invitation.meeting
        subject = _("Undangan rapat: %(title)s") % {"title": meeting.title}
        body = _(
            "Yth. %(name)s,\n\n"
            "Anda diundang ke rapat %(forum)s:\n"
            "%(title)s\n%(day)s, %(time)s\n%(place)s\n\n"
            "Agenda dan jawaban kehadiran: %(url)s\n"
        ) % {
            "name": invitation.member.person.full_name,
            "forum": meeting.forum.name,
            "title": meeting.title,
            "day": hari_tanggal(meeting.starts_at),
            "time": jam(meeting.starts_at),
            "place": meeting.location or _("(tempat akan diumumkan)"),
            "url": site_url + reverse("meetings:detail", args=[meeting.uid]),
        }
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
