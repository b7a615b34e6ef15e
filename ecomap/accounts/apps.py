from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ecomap.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import signals  # noqa: F401  (audits log-ins, log-outs, failures, lockouts)
