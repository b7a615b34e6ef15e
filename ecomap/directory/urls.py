from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("types/", views.service_types, name="types"),
    path("services/<str:service_id>/", views.service_detail, name="service"),
    path("files/", views.files, name="files"),
    path("files/export/", views.export, name="export"),
]
