from django.urls import path

from . import views

app_name = "clients"

# Every URL that shows or changes one client's record takes `client_pk` and goes through
# `client_view`; tests/test_access_matrix.py finds them all and checks who may reach them.
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.client_create, name="create"),
    path("<int:client_pk>/", views.overview, name="overview"),
    path("<int:client_pk>/edit/", views.client_edit, name="edit"),
    path("<int:client_pk>/discharge/", views.discharge, name="discharge"),
    path("<int:client_pk>/readmit/", views.readmit, name="readmit"),
    path("<int:client_pk>/archive/", views.archive, name="archive"),
    path("<int:client_pk>/unarchive/", views.unarchive, name="unarchive"),
    path("<int:client_pk>/transfer/", views.transfer, name="transfer"),
]
