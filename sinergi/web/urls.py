from django.urls import path

from sinergi.web.views import public

app_name = "web"
urlpatterns = [
    path("", public.home, name="home"),
    path("ping/", public.ping, name="ping"),
    path("bahasa/<str:code>/", public.choose_language, name="language"),
]
