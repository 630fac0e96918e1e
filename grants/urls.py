from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("rates/", views.RateTableListView.as_view(), name="rate_tables"),
    path("rates/new/", views.RateTableFormView.as_view(), name="rate_table_create"),
    path("rates/<int:pk>/", views.RateTableDetailView.as_view(), name="rate_table"),
    path("rates/<int:pk>/edit/", views.RateTableFormView.as_view(), name="rate_table_edit"),
    path("exchange-rates/", views.ExchangeRatesView.as_view(), name="exchange_rates"),
    path("organisations/<int:pk>/location/", views.LocationView.as_view(), name="location"),
    path("projects/<int:pk>/", views.BudgetView.as_view(), name="budget"),
    path("projects/<int:pk>/grant/", views.ProjectGrantEditView.as_view(), name="grant_edit"),
    path("projects/<int:pk>/snapshot/", views.SnapshotView.as_view(), name="snapshot"),
    path("projects/<int:pk>/payments/", views.PaymentListView.as_view(), name="payments"),
    path("projects/<int:project_pk>/payments/new/", views.PaymentFormView.as_view(), name="payment_create"),
    path("payments/<int:pk>/", views.PaymentFormView.as_view(), name="payment_edit"),
    path(
        "projects/<int:project_pk>/preparatory-visits/new/",
        views.PreparatoryVisitFormView.as_view(),
        name="preparatory_visit_create",
    ),
    path("preparatory-visits/<int:pk>/", views.PreparatoryVisitFormView.as_view(), name="preparatory_visit_edit"),
    path(
        "preparatory-visits/<int:pk>/delete/",
        views.PreparatoryVisitDeleteView.as_view(),
        name="preparatory_visit_delete",
    ),
    path("projects/<int:pk>/module-export/", views.ModuleExportView.as_view(), name="module_export"),
    path("projects/<int:pk>/reconciliation/", views.ReconciliationView.as_view(), name="reconciliation"),
    path("projects/<int:pk>/reconciliation/import/", views.ModuleImportView.as_view(), name="module_import"),
    path("mobilities/<int:assignment_pk>/module/", views.ModuleFiguresView.as_view(), name="module_figures"),
    path("accompanying/<int:stay_pk>/module/", views.ModuleFiguresView.as_view(), name="module_figures_stay"),
    path("flows/<int:pk>/allowances/", views.PayoutListView.as_view(), name="payouts"),
    path("flows/<int:pk>/allowances/new/", views.AllowanceCreateView.as_view(), name="allowance_create"),
    path("payments/<int:pk>/signed/", views.SignedCopyView.as_view(), name="allowance_signed"),
    path("receipts/<int:pk>/", views.ReceiptView.as_view(), name="receipt"),
    path("mobilities/<int:pk>/", views.MobilityView.as_view(), name="mobility"),
    path("mobilities/<int:pk>/edit/", views.MobilityEditView.as_view(), name="mobility_edit"),
    path("mobilities/<int:pk>/costs/", views.RealCostAddView.as_view(), name="real_cost_add"),
    path(
        "placements/<int:placement_pk>/accompanying/new/",
        views.AccompanyingFormView.as_view(),
        name="accompanying_create",
    ),
    path("accompanying/<int:pk>/", views.AccompanyingFormView.as_view(), name="accompanying_edit"),
]
