from django.urls import path

from . import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("today/", views.today, name="today"),
    path("today/<slug:slug>/", views.today_panel, name="today_panel"),
]
