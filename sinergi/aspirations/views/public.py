"""Public pages: intake form, tracker, lists, map, statistics."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
