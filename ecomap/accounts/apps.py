from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ecomap.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import checks, signals  # noqa: F401  (the agency check; audits log-ins, log-outs...)
