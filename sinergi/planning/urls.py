from django.urls import path

from sinergi.planning.views import manage, public

app_name = "planning"
urlpatterns = [
    path("", public.planning_home, name="home"),
    path("reses/", public.reses_list_view, name="reses_list"),
    path("reses/buka/", manage.reses_open, name="reses_open"),
    path("reses/templat.<str:kind>", public.batch_template, name="batch_template"),
    path("reses/<uuid:uid>/", public.reses_detail, name="reses_detail"),
    path("reses/<uuid:uid>/laporan/", public.reses_report_view, name="reses_report"),
    path("reses/<uuid:uid>/status/", manage.reses_status, name="reses_status"),
    path("reses/<uuid:uid>/aspirasi/", manage.reses_batch, name="reses_batch"),
    path("reses/<uuid:uid>/impor/", manage.reses_import, name="reses_import"),
    path("pokir/", public.pokir_list_view, name="pokir_list"),
    path("pokir/usul/", manage.pokir_propose, name="pokir_propose"),
    path("pokir/<uuid:uid>/", public.pokir_detail, name="pokir_detail"),
    path("pokir/<uuid:uid>/ubah/", manage.pokir_edit, name="pokir_edit"),
    path("pokir/<uuid:uid>/langkah/", manage.pokir_step, name="pokir_step"),
    path("musrenbang/", public.musrenbang_list_view, name="musrenbang_list"),
    path("musrenbang/buka/", manage.musrenbang_open, name="musrenbang_open"),
    path("musrenbang/<uuid:uid>/", public.musrenbang_detail, name="musrenbang_detail"),
    path("musrenbang/<uuid:uid>/delegasi/", manage.delegate_add, name="delegate_add"),
    path("musrenbang/<uuid:uid>/usulan/", manage.proposal_add, name="proposal_add"),
    path("musrenbang/<uuid:uid>/tutup/", manage.musrenbang_close, name="musrenbang_close"),
    path("musrenbang/usulan/<uuid:uid>/putuskan/", manage.proposal_decide, name="proposal_decide"),
]
