from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reports import services

from .factories import ParticipantFactory


def test_figures_count_active_participants_by_gender_and_qualification(world):
    ParticipantFactory(project=world.project, gender="female").archive()
    figures = services.project_figures(world.project)
    assert figures["participants"] == 2
    assert (figures["female"], figures["male"]) == (1, 1)
    assert figures["placements"] == 2
    assert figures["host_companies"] == 2


def test_attention_lists_unassigned_learners_missing_consent_and_documents(world):
    unassigned = ParticipantFactory(project=world.project, first_name="Viorel", last_name="Duminică")
    texts = " ".join(str(item.text) for item in services.attention_items(world.project))
    assert "Viorel Duminică is not assigned" in texts
    assert "Ștefan Țurcanu has no recorded consent" in texts
    assert "ID document or health-insurance card missing" in texts
    assert unassigned.get_absolute_url() in [item.url for item in services.attention_items(world.project)]


def test_a_learner_who_came_home_early_is_not_listed_as_unassigned_but_one_withdrawn_before_is(world):
    today = timezone.localdate()
    world.placement.start_date, world.placement.end_date = today - timedelta(days=12), today + timedelta(days=13)
    world.placement.save()
    world.other_placement.start_date = today + timedelta(days=30)
    world.other_placement.end_date = today + timedelta(days=55)
    world.other_placement.save()
    for assignment in (world.assignment, world.other_assignment):
        assignment.status, assignment.withdrawal_reason = "withdrawn", "Went home"
        assignment.save()
    texts = " ".join(str(item.text) for item in services.attention_items(world.project))
    assert "Ștefan Țurcanu is not assigned" not in texts  # his placement had begun: he went
    assert "Mădălina Stănescu is not assigned" in texts  # hers had not: the place is to be filled
    # The dashboard's way, out of the flows' assignments it has read, gives the same items.
    flows = services.project_flows(world.project)
    assert services.attention_items(world.project, flows=flows) == services.attention_items(world.project)


def test_attention_lists_placements_starting_soon_with_unconfirmed_learners(world):
    today = timezone.localdate()
    world.placement.start_date = today + timedelta(days=10)
    world.placement.end_date = today + timedelta(days=35)
    world.placement.save()
    texts = " ".join(str(item.text) for item in services.attention_items(world.project))
    assert "1 learners are not confirmed yet" in texts or "not confirmed" in texts


def test_mentor_dashboard_lists_only_their_learners(world, client_for):
    response = client_for(world.mentor).get(reverse("dashboard"))
    html = response.content.decode()
    assert "Ștefan Țurcanu" in html
    assert "Mădălina" not in html
    assert "Needs attention" not in html


def test_staff_sees_figures_but_no_to_do_list(world, client_for):
    response = client_for(world.staff).get(reverse("dashboard"))
    assert response.context["figures"]["participants"] == 2
    assert "attention" not in response.context


def test_the_checklist_steps_and_attention_items_printed_in_python_are_escaped():
    from placements.checklist import Step
    from placements.templatetags.checklist_rows import checklist_steps
    from reports.templatetags.dashboard_rows import attention_rows

    html = checklist_steps([Step(1, "k", "<b>Step</b>", False, "/u?a=1&b=2", [("<i>why</i>", "/m?x=1&y=2")])])
    assert "&lt;b&gt;Step&lt;/b&gt;" in html and "&lt;i&gt;why&lt;/i&gt;" in html and "<b>" not in html
    assert 'href="/u?a=1&amp;b=2"' in html and 'href="/m?x=1&amp;y=2"' in html
    html = attention_rows([services.AttentionItem("<b>Ana</b> O'Neil", "/p?a=1&b=2")])
    assert "&lt;b&gt;Ana&lt;/b&gt; O&#x27;Neil" in html and 'href="/p?a=1&amp;b=2"' in html
