from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    default = True
    name = "sinergi.web"
    label = "web"
    verbose_name = "Web"


class SinergiAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "sinergi.web.admin.SinergiAdminSite"
