from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ecomap.core.urls")),
    path("", include("ecomap.site.urls")),
    path("accounts/", include("ecomap.accounts.urls")),
    path("clients/", include("ecomap.clients.urls")),
    path("clients/<int:client_pk>/consents/", include("ecomap.consents.urls")),
    path("clients/<int:client_pk>/network/", include("ecomap.network.urls")),
    path("clients/<int:client_pk>/modules/", include("ecomap.modules.urls")),
    path("clients/<int:client_pk>/measures/", include("ecomap.measures.urls")),
    path("mutualaid/", include("ecomap.mutualaid.urls")),
    path("directory/", include("ecomap.directory.urls")),
    path("clients/<int:client_pk>/casework/", include("ecomap.casework.urls")),
    path("clients/<int:client_pk>/mutualaid/", include("ecomap.mutualaid.urls.client")),
    path("training/", include("ecomap.training.urls")),
    path("audit/", include("ecomap.audit.urls")),
    path("admin/", admin.site.urls),  # an EcomapAdminSite (ecomap.site.apps.AdminConfig)
]

handler400 = "ecomap.core.errors.bad_request"
handler403 = "ecomap.core.errors.permission_denied"
handler404 = "ecomap.core.errors.page_not_found"
handler500 = "ecomap.core.errors.server_error"
