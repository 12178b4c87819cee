"""GeoReport v2 endpoints; the extension (.json or .xml) picks the format."""

from django.urls import re_path

from sinergi.open311 import views

app_name = "open311"
FORMAT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.service_list, name="services"),
    re_path(r"^services/(?P<service_code>[^/]+?)" + FORMAT, views.service_definition, name="service_definition"),
    re_path(r"^requests" + FORMAT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+?)" + FORMAT, views.request_detail, name="request_detail"),
    # Anything else under /open311/v2/ answers in the Open311 error format, not the HTML 404 page.
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
