from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("interview/", views.interview, name="interview"),
    path("review/", views.review, name="review"),
    path("members/<int:member_pk>/", views.member_edit, name="member"),
    path("members/<int:member_pk>/circle/", views.set_circle, name="member_circle"),
    path("members/<int:member_pk>/ties/", views.set_ties, name="member_ties"),
    path("members/<int:member_pk>/leave/", views.member_leave, name="member_leave"),
    path("assessments/new/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:assessment_pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:assessment_pk>/pdf/", views.assessment_pdf, name="assessment_pdf"),
    path("assessments/compare/", views.compare, name="compare"),
    path("files/", views.export_import, name="files"),
    path("supporters/", views.supporters, name="supporters"),
    path("supporters/<int:supporter_pk>/review/", views.supporter_review, name="supporter_review"),
    path("accept/", views.accept, name="accept"),
]
