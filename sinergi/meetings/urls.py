from django.urls import path
from django.views.generic import TemplateView

app_name = "meetings"
urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="list"),
    path("kalender.ics", TemplateView.as_view(template_name="base.html"), name="city_ical"),
    path("<uuid:uid>/", TemplateView.as_view(template_name="base.html"), name="detail"),
]
