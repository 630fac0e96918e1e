"""No empty list without a way out (issue 22, item 2): what a list needs is linked from where it is empty, and the
coordinator comes back to where they were."""

from urllib.parse import quote

from django.urls import reverse

from assessments.models import Outcome, Unit
from placements.models import Qualification

from .access_routes_selection import a_call
from .factories import ProjectFactory


def test_the_calls_empty_flow_list_says_a_placement_must_exist_and_links_to_make_one(world, client_for):
    project = ProjectFactory(reference="2027-1-RO01-KA122-VET-000000042")
    call = a_call(world)
    call.project = project
    call.save()
    client = client_for(world.coordinator)
    page = client.get(reverse("selection:flows", args=[call.pk])).content.decode()
    here = reverse("selection:flows", args=[call.pk])
    assert "data-empty-hint" in page
    assert f"{reverse('placements:create')}?project={project.pk}&amp;next={quote(here, safe='')}" in page
    form = client.get(f"{reverse('placements:create')}?project={project.pk}&next={here}")
    assert form.context["form"].initial["project"] == str(project.pk)
    # A project with flows: no hint.
    assert "data-empty-hint" not in client.get(reverse("selection:flows", args=[a_call(world).pk])).content.decode()


def test_the_placement_form_links_to_make_a_missing_qualification_and_comes_back(world, client_for):
    client = client_for(world.coordinator)
    form_url = reverse("placements:create")
    page = client.get(form_url).content.decode()
    assert f"{reverse('placements:qualification_create')}?next={quote(form_url, safe='')}" in page
    response = client.post(
        reverse("placements:qualification_create"), {"name": "Confecționer", "eqf_level": 3, "next": form_url}
    )
    assert response["Location"] == form_url


def test_a_new_qualification_sends_the_coordinator_to_write_its_outcomes(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("placements:qualification_create"), {"name": "Brutar", "eqf_level": 3}
    )
    made = Qualification.objects.get(name="Brutar")
    assert response["Location"] == reverse("assessments:framework", args=[made.pk])


def test_a_qualification_without_outcomes_is_flagged_before_a_mentor_meets_it(world, client_for):
    client = client_for(world.coordinator)
    page = client.get(world.placement.get_absolute_url()).content.decode()
    assert "data-no-outcomes" in page
    assert reverse("assessments:framework", args=[world.placement.qualification_id]) in page
    listing = client.get(reverse("placements:qualification_list")).content.decode()
    assert listing.count("data-no-outcomes") == 2
    unit = Unit.objects.create(qualification=world.placement.qualification, title="Unit 1")
    Outcome.objects.create(unit=unit, kind="skills", text="Uses the tools safely")
    assert "data-no-outcomes" not in client.get(world.placement.get_absolute_url()).content.decode()
    assert (
        "data-no-outcomes"
        not in client_for(world.mentor).get(world.other_placement.get_absolute_url()).content.decode()
    )


def test_a_missing_readiness_mark_links_to_the_field_that_fills_it_and_back(world, client_for):
    client = client_for(world.coordinator)
    flow = reverse("preparation:flow", args=[world.placement.pk])
    page = client.get(flow).content.decode()
    edit = reverse("participants:edit", args=[world.learner.pk])
    back = quote(flow, safe="")
    for field in ("id_id_document_number", "id_health_insurance_number", "id_emergency_contact_name"):
        assert f"{edit}?next={back}#{field}" in page, field
    assert f"{edit}?next={back}#id_consent_data_processing_on" in page
    form = client.get(f"{edit}?next={flow}")
    assert f'name="next" value="{flow}"' in form.content.decode()
    learner = client.get(world.learner.get_absolute_url()).content.decode()
    assert reverse("preparation:learner", args=[world.assignment.pk]) in learner


def test_staff_see_the_missing_marks_without_links_to_forms_they_cannot_use(world, client_for):
    page = client_for(world.staff).get(reverse("preparation:flow", args=[world.placement.pk])).content.decode()
    assert reverse("participants:edit", args=[world.learner.pk]) not in page
