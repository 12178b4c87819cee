from django.urls import path, re_path

from sinergi.regions.views import public

app_name = "regions"
urlpatterns = [
    path("", public.overview, name="overview"),
    re_path(r"^(?P<code>[0-9]{2}(?:\.[0-9]{2}){0,2}(?:\.[0-9]{4})?)/$", public.detail, name="detail"),
]
