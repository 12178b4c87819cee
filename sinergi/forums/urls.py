from django.urls import path

from sinergi.forums.views import manage, public

app_name = "forums"
urlpatterns = [
    path("", public.forum_list, name="list"),
    path("bentuk/", manage.forum_convene_view, name="convene"),
    path("<slug:slug>/", public.forum_detail, name="detail"),
    path("<slug:slug>/daftar-anggota/", public.forum_member_list, name="member_list"),
    path("<slug:slug>/piagam/", manage.charter_edit, name="charter_edit"),
    path("<slug:slug>/fokus-kebijakan/", manage.policy_link, name="policy_link"),
    path("<slug:slug>/undang/", manage.member_invite, name="invite"),
    path("<slug:slug>/keanggotaan/", manage.members_manage, name="members_manage"),
    path("<slug:slug>/keanggotaan/<int:member_id>/putuskan/", manage.member_decide, name="member_decide"),
    path("<slug:slug>/keanggotaan/<int:member_id>/peran/", manage.member_set_role, name="member_set_role"),
    path("<slug:slug>/undangan/<int:member_id>/jawab/", manage.invitation_respond, name="invitation_respond"),
    path("<slug:slug>/aktifkan/", manage.forum_activate_view, name="activate"),
    path("<slug:slug>/tutup/", manage.forum_close_view, name="close"),
    path("<slug:slug>/gabung/", manage.forum_apply_view, name="apply"),
    path("<slug:slug>/keanggotaan/<int:member_id>/keluar/", manage.member_leave, name="leave"),
]
