from django.urls import path

from . import views

app_name = "consents"

# Mounted at clients/<int:client_pk>/consents/ (ecomap/urls.py): every view takes `client_pk` and
# goes through `client_view`; nested objects are fetched through the client.
urlpatterns = [
    path("", views.consent_list, name="list"),
    path("new/", views.consent_create, name="create"),
    path("<int:consent_pk>/", views.consent_detail, name="detail"),
    path("<int:consent_pk>/revoke/", views.consent_revoke, name="revoke"),
    path("<int:consent_pk>/expiry-event/", views.consent_expiry_event, name="expiry_event"),
    path("disclosures/new/", views.disclosure_create, name="disclosure_create"),
    path("disclosures/emergency/", views.emergency_disclosure_create, name="emergency_create"),
    path("disclosures/<int:disclosure_pk>/", views.disclosure_detail, name="disclosure_detail"),
    path("accounting/", views.accounting, name="accounting"),
]
