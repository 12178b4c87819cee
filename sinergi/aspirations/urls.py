"""URLs of the aspirations app. Each view module keeps its own list; this file only joins them."""

from sinergi.aspirations.views import manage, public

app_name = "aspirations"
urlpatterns = [*public.urlpatterns, *manage.urlpatterns]
