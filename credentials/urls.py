from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path("credentials/flow/<int:pk>/", views.FlowView.as_view(), name="flow"),
    path("credentials/flow/<int:pk>/credentials.zip", views.FlowCredentialsView.as_view(), name="flow_zip"),
    path("credentials/learner/<int:pk>/draft/", views.DraftView.as_view(), name="draft"),
    path("credentials/<int:pk>/", views.EditView.as_view(), name="edit"),
    path("credentials/<int:pk>/issue/", views.IssueView.as_view(), name="issue"),
    path("credentials/<int:pk>/make-files/", views.MakeFilesView.as_view(), name="make_files"),
    path("credentials/<int:pk>/data.json", views.EuropassDataView.as_view(), name="data"),
    path("credentials/<int:pk>/<slug:name>/", views.FileView.as_view(), name="file"),
    path("trip/<str:token>/europass/<slug:name>/", views.learner_file, name="learner_file"),
]
