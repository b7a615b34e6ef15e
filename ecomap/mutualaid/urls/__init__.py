"""Mutual support's agency pages (namespace `mutualaid`, under /mutualaid/), by topic; a client's
pages are in client.py (namespace `mutualaid_client`, under /clients/<client_pk>/mutualaid/)."""

from django.urls import path

from ..views import contacts, feeds, fellowships, meetings

app_name = "mutualaid"

urlpatterns = [
    # the fellowship catalogue
    path("", fellowships.fellowship_list, name="fellowships"),
    path("fellowships/<slug:slug>/", fellowships.fellowship_detail, name="fellowship"),
    # meeting feeds and their imports
    path("feeds/", feeds.feed_list, name="feeds"),
    path("feeds/<int:feed_pk>/", feeds.feed_detail, name="feed"),
    path("feeds/<int:feed_pk>/runs/<int:run_pk>/", feeds.run_detail, name="run"),
    # meetings
    path("meetings/", meetings.meeting_search, name="meetings"),
    path("meetings/<int:meeting_pk>/", meetings.meeting_detail, name="meeting"),
    # local contacts
    path("contacts/", contacts.contact_list, name="contacts"),
    path("contacts/<int:contact_pk>/", contacts.contact_edit, name="contact"),
]
