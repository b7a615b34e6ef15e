from django.urls import path

from . import views

app_name = "mutualaid"

urlpatterns = [
    path("", views.fellowship_list, name="fellowships"),
    path("fellowships/<slug:slug>/", views.fellowship_detail, name="fellowship"),
    path("feeds/", views.feed_list, name="feeds"),
    path("feeds/<int:feed_pk>/", views.feed_detail, name="feed"),
    path("feeds/<int:feed_pk>/runs/<int:run_pk>/", views.run_detail, name="run"),
    path("meetings/", views.meeting_search, name="meetings"),
    path("meetings/<int:meeting_pk>/", views.meeting_detail, name="meeting"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/<int:contact_pk>/", views.contact_edit, name="contact"),
]
