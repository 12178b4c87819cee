from django.urls import path

from sinergi.consultations.views import manage, public

app_name = "consultations"
urlpatterns = [
    path("", public.consultation_list, name="list"),
    path("buat/", manage.consultation_create_view, name="create"),
    path("<slug:slug>/", public.consultation_detail, name="detail"),
    path("<slug:slug>/ikut/", public.consultation_join, name="join"),
    path("<slug:slug>/pilih/", public.consultation_vote, name="vote"),
    path("<slug:slug>/pernyataan/", public.consultation_statement, name="statement"),
    path("<slug:slug>/hasil/", public.consultation_results, name="results"),
    path("<slug:slug>/ubah/", manage.consultation_edit, name="edit"),
    path("<slug:slug>/buka/", manage.consultation_open_view, name="open"),
    path("<slug:slug>/tutup/", manage.consultation_close_view, name="close"),
    path("<slug:slug>/moderasi/", manage.moderation_queue, name="moderation"),
    path("<slug:slug>/moderasi/<int:statement_id>/", manage.statement_moderate_view, name="moderate"),
]
