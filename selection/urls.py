from django.urls import path

from placements.sites import LegacyRedirectView

from . import views

app_name = "selection"


def legacy(name):
    return LegacyRedirectView.as_view(target=f"selection:{name}", owner=views.call_project)


urlpatterns = [
    # Public
    # Public: on the call's project's site (placements.sites); the addresses of the time of one site redirect.
    path("p/<slug:site>/call/<int:pk>/", views.PublicCallView.as_view(), name="public_call"),
    path("p/<slug:site>/call/<int:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("p/<slug:site>/call/<int:pk>/apply/thank-you/", views.ApplyDoneView.as_view(), name="apply_done"),
    path("call/<int:pk>/", legacy("public_call"), name="legacy_public_call"),
    path("call/<int:pk>/apply/", legacy("apply"), name="legacy_apply"),
    path("call/<int:pk>/apply/thank-you/", legacy("apply_done"), name="legacy_apply_done"),
    # The office
    path("selection/", views.CallListView.as_view(), name="calls"),
    path("selection/new/", views.CallCreateView.as_view(), name="call_create"),
    path("selection/<int:pk>/", views.CallDetailView.as_view(), name="call"),
    path("selection/<int:pk>/edit/", views.CallUpdateView.as_view(), name="call_edit"),
    path("selection/<int:pk>/flows/", views.FlowsView.as_view(), name="flows"),
    path("selection/<int:pk>/criteria/", views.CriteriaView.as_view(), name="criteria"),
    path("selection/<int:pk>/committee/", views.CommitteeView.as_view(), name="committee"),
    path("selection/<int:pk>/applications/", views.ApplicationListView.as_view(), name="applications"),
    path("selection/<int:pk>/applications/new/", views.ApplicationCreateView.as_view(), name="application_new"),
    path("selection/<int:pk>/rank/", views.RankView.as_view(), name="rank"),
    path("selection/<int:pk>/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("selection/<int:pk>/erase/", views.EraseView.as_view(), name="erase"),
    path("selection/application/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
    path("selection/application/<int:pk>/replace/", views.ReplaceView.as_view(), name="replace"),
    path("selection/application/<int:pk>/appeal/", views.AppealCreateView.as_view(), name="appeal_new"),
    path(
        "selection/application/<int:pk>/documents/new/",
        views.ApplicationDocumentAddView.as_view(),
        name="document_add",
    ),
    path("selection/document/<int:pk>/", views.ApplicationDocumentView.as_view(), name="document"),
    path("selection/appeal/<int:pk>/decide/", views.AppealDecideView.as_view(), name="appeal_decide"),
    # The committee (members of this call's committee only)
    path("selection/<int:pk>/scoring/", views.ScoringView.as_view(), name="scoring"),
    path("selection/<int:pk>/sign/", views.SignMinutesView.as_view(), name="sign"),
    path("selection/application/<int:pk>/score/", views.ScoreView.as_view(), name="score"),
    path("selection/application/<int:pk>/conflict/", views.ConflictView.as_view(), name="conflict"),
]
