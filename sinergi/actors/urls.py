from django.urls import path

from sinergi.actors.views import manage, public

app_name = "actors"
urlpatterns = [
    path("", public.organisation_list_view, name="organisation_list"),
    path("organisasi/<slug:slug>/", public.organisation_detail, name="organisation_detail"),
    path("orang/<slug:slug>/", public.person_detail, name="person_detail"),
    path("sektor/", public.sector_list_view, name="sector_list"),
    path("sektor/<slug:code>/", public.sector_detail, name="sector_detail"),
    path("kelola/organisasi/baru/", manage.organisation_create_view, name="organisation_create"),
    path("kelola/organisasi/<slug:slug>/ubah/", manage.organisation_edit, name="organisation_edit"),
    path("kelola/organisasi/<slug:slug>/nama-lain/", manage.organisation_alias_add_view, name="organisation_alias_add"),
    path("kelola/organisasi/<slug:slug>/anggota/baru/", manage.membership_add, name="membership_add"),
    path("kelola/keanggotaan/<uuid:uid>/akhiri/", manage.membership_end_view, name="membership_end"),
    path("kelola/orang/baru/", manage.person_create_view, name="person_create"),
    path("kelola/orang/<slug:slug>/ubah/", manage.person_edit, name="person_edit"),
    path("kelola/sektor/baru/", manage.sector_create_view, name="sector_create"),
]
