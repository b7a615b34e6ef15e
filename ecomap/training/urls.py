from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("programmes/<slug:slug>/", views.programme, name="programme"),
    path("programmes/<slug:slug>/publish/", views.publish, name="publish"),
    path("programmes/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:enrolment_pk>/", views.timeline, name="enrolment"),
    path("enrolments/<int:enrolment_pk>/prerequisite/", views.prerequisite, name="prerequisite"),
    path("enrolments/<int:enrolment_pk>/timetable.ics", views.calendar, name="calendar"),
    path("enrolments/<int:enrolment_pk>/group/", views.group_new, name="group_new"),
    path("enrolments/<int:enrolment_pk>/topics/<slug:topic_key>/", views.topic, name="topic"),
    path("enrolments/<int:enrolment_pk>/topics/<slug:topic_key>/<str:action>/", views.topic_post,
         name="topic_post"),
    path("enrolments/<int:enrolment_pk>/reflections/<int:reflection_pk>/", views.reflection,
         name="reflection"),
    path("enrolments/<int:enrolment_pk>/outcomes/", views.outcomes, name="outcomes"),
    path("enrolments/<int:enrolment_pk>/practice/", views.practice, name="practice"),
    path("enrolments/<int:enrolment_pk>/portfolio/", views.portfolio, name="portfolio"),
    path("enrolments/<int:enrolment_pk>/portfolio.pdf", views.portfolio_pdf, name="portfolio_pdf"),
    path("enrolments/<int:enrolment_pk>/certificate.pdf", views.certificate, name="certificate"),
    path("groups/<int:group_pk>/", views.group, name="group"),
    path("groups/<int:group_pk>/<str:action>/", views.group_post, name="group_post"),
]
