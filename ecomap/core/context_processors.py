from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "SESSION_IDLE_MINUTES": settings.SESSION_IDLE_MINUTES}
