from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("today/", views.TodayView.as_view(), name="today"),
    path("today/all-present/", views.AllPresentView.as_view(), name="all_present"),
    path("assignments/<int:pk>/", views.LearnerAttendanceView.as_view(), name="learner"),
    path("assignments/<int:pk>/day/<str:day>/", views.RecordDayView.as_view(), name="record_day"),
    path("placements/<int:pk>/", views.PlacementSummaryView.as_view(), name="placement"),
    path("placements/<int:pk>/week/", views.CurrentWeekView.as_view(), name="current_week"),
    path("placements/<int:pk>/week/<str:day>/", views.WeekView.as_view(), name="week"),
    path("placements/<int:pk>/week/<str:day>/submit/", views.SubmitWeekView.as_view(), name="submit_week"),
    path("placements/<int:pk>/work-pattern/", views.WorkPatternView.as_view(), name="work_pattern"),
    path("signoffs/<int:pk>/approve/", views.SignoffActionView.as_view(action="approve"), name="approve"),
    path("signoffs/<int:pk>/reopen/", views.SignoffActionView.as_view(action="reopen"), name="reopen"),
    path("statuses/", views.StatusListView.as_view(), name="status_list"),
    path("statuses/<int:pk>/edit/", views.StatusUpdateView.as_view(), name="status_edit"),
]
