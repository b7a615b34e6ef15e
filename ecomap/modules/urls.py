from django.urls import path

from . import views

app_name = "modules"

urlpatterns = [
    path("", views.home, name="home"),
    path("goals/", views.goals, name="goals"),
    path("goals/<int:goal_pk>/status/", views.goal_status, name="goal_status"),
    path("<int:enrolment_pk>/", views.enrolment_detail, name="enrolment"),
    path("<int:enrolment_pk>/handout.pdf", views.handout_pdf, name="handout_pdf"),
    path("<int:enrolment_pk>/review/", views.review, name="review"),
    path("<int:enrolment_pk>/sessions/new/", views.session_start, name="session_start"),
    path("<int:enrolment_pk>/sessions/<int:session_pk>/", views.session_detail, name="session"),
    path("<int:enrolment_pk>/sessions/<int:session_pk>/summary.pdf", views.session_pdf,
         name="session_pdf"),
]
