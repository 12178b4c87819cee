from django.urls import path

from sinergi.meetings.views import manage, public

app_name = "meetings"
urlpatterns = [
    path("", public.meeting_list, name="list"),
    path("kalender.ics", public.city_ical, name="city_ical"),
    path("forum/<slug:slug>.ics", public.forum_ical, name="forum_ical"),
    path("forum/<slug:slug>/jadwalkan/", manage.meeting_schedule, name="schedule"),
    path("forum/<slug:slug>/berulang/", manage.meeting_series_create, name="series_create"),
    path("<uuid:uid>/", public.meeting_detail, name="detail"),
    path("<uuid:uid>.ics", public.meeting_ics, name="ics"),
    path("<uuid:uid>/jadwal-ulang/", manage.meeting_reschedule, name="reschedule"),
    path("<uuid:uid>/batalkan/", manage.meeting_cancel, name="cancel"),
    path("<uuid:uid>/acara/tambah/", manage.agenda_item_add, name="agenda_add"),
    path("<uuid:uid>/acara/<int:item_id>/hasil/", manage.outcome_record, name="outcome"),
    path("<uuid:uid>/agenda/umumkan/", manage.agenda_publish, name="agenda_publish"),
    path("<uuid:uid>/undangan/kirim/", manage.invitations_send, name="invitations_send"),
    path("<uuid:uid>/undangan/jawab/", manage.invitation_respond, name="invitation_respond"),
    path("<uuid:uid>/buka/", manage.meeting_open, name="open"),
    path("<uuid:uid>/tutup/", manage.meeting_close, name="close"),
    path("<uuid:uid>/daftar-hadir/", manage.attendance_record, name="attendance"),
    path("<uuid:uid>/notulen/", manage.minutes_edit, name="minutes_edit"),
    path("<uuid:uid>/notulen/ajukan/", manage.minutes_submit, name="minutes_submit"),
    path("<uuid:uid>/notulen/tinjau/", manage.minutes_review, name="minutes_review"),
    path("<uuid:uid>/notulen/sahkan/", manage.minutes_approve, name="minutes_approve"),
    path("<uuid:uid>/notulen/kembalikan/", manage.minutes_return, name="minutes_return"),
]
