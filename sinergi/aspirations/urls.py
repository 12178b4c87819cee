"""URLs of the aspirations app. Each view module keeps its own list; this file only joins them."""

from sinergi.aspirations.views import manage, photos, public, stats, support

app_name = "aspirations"
urlpatterns = [*photos.urlpatterns, *stats.urlpatterns, *support.urlpatterns, *manage.urlpatterns, *public.urlpatterns]
