from django.urls import path
from django.views.generic import TemplateView

app_name = "actors"
urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="organisation_list"),
    path("organisasi/<slug:slug>/", TemplateView.as_view(template_name="base.html"), name="organisation_detail"),
]
