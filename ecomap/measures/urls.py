from django.urls import path

from . import views

app_name = "measures"

# The instrument is a query parameter (?instrument=mspss), not part of the path: an instrument is
# not a client's object, so only client-owned objects appear as path arguments.
urlpatterns = [
    path("", views.index, name="index"),
    path("administer/", views.administer, name="administer"),
    path("history/", views.history, name="history"),
    path("<int:administration_pk>/", views.administration_detail, name="administration"),
    path("<int:administration_pk>/continue/", views.continue_draft, name="continue"),
    path("<int:administration_pk>/entered-in-error/", views.mark_error, name="entered_in_error"),
]
