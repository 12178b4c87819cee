"""Officer pages: verification desk, OPD queue, overdue dashboard."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
