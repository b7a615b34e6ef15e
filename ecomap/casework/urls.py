from django.urls import path

from . import views

app_name = "casework"

# Mounted at clients/<int:client_pk>/casework/ (ecomap/urls.py): every view takes `client_pk` and
# goes through `client_view`; nested objects are fetched through the client.
urlpatterns = [
    path("", views.home, name="home"),
    path("needs/new/", views.needs_new, name="needs_new"),
    path("needs/<int:needs_pk>/", views.needs_detail, name="needs"),
    path("referrals/new/", views.find, name="find"),
    path("referrals/<int:case_referral_pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:case_referral_pk>/documents/", views.referral_documents,
         name="documents"),
    path("referrals/<int:case_referral_pk>/summary/", views.referral_summary, name="summary"),
    path("referrals/<int:case_referral_pk>/<slug:transition>/", views.referral_step,
         name="step"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:task_pk>/done/", views.task_done, name="task_done"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/cadence/", views.cadence, name="cadence"),
    path("family/", views.family_page, name="family"),
    path("family/<int:member_pk>/", views.member_page, name="member"),
    path("family/<int:member_pk>/involve/", views.involve, name="involve"),
    path("family/<int:member_pk>/sessions/new/", views.session_new, name="session_new"),
    path("family/<int:member_pk>/check-ins/new/", views.checkin_new, name="checkin_new"),
    path("family/<int:member_pk>/letter/", views.family_letter, name="family_letter"),
    path("letters/<int:letter_pk>/", views.letter_detail, name="letter"),
    path("letters/<int:letter_pk>/pdf/", views.letter_pdf, name="letter_pdf"),
]
