from django.urls import path

from sinergi.ledger.views import public

app_name = "ledger"
urlpatterns = [
    path("", public.timeline, name="timeline"),
    path("<int:sequence>/", public.entry_detail, name="entry"),
]
