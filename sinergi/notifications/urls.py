from django.urls import path

from sinergi.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("kelola/", views.outbox, name="outbox"),
]
