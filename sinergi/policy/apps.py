from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "sinergi.policy"
    label = "policy"
    verbose_name = "Objek kebijakan"
