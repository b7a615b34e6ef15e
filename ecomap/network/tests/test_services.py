from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.core.append_only import AppendOnlyError
from ecomap.network import services
from ecomap.network.models import Assessment, MemberTie, NetworkMember


@pytest.fixture
def named(client_record, practitioner):
    """Five people named through the prompts."""
    for prompt, label, rel in [("matters", "Ana", "friend"), ("practical", "Mum", "parent"),
                               ("free_time", "Ben", "friend"), ("stress", "Dad", "parent"),
                               ("uses_with", "Cal", "friend")]:
        services.answer_prompt(client_record, actor=practitioner, prompt=prompt, label=label,
                               relationship=rel)
    return {m.label: m for m in NetworkMember.objects.filter(client=client_record)}


@pytest.mark.django_db
def test_prompts_record_what_each_question_says(named):
    assert named["Ana"].support_received == ["emotional"]
    assert named["Mum"].support_received == ["practical"]
    assert named["Ben"].support_received == ["companionship"]
    assert named["Dad"].valence == "stressful"
    assert named["Cal"].substance_use == "some"


@pytest.mark.django_db
def test_naming_someone_again_adds_to_the_same_member(client_record, practitioner, named):
    member, created = services.answer_prompt(client_record, actor=practitioner, prompt="free_time",
                                             label="  ana ", relationship="friend")
    assert not created and member.pk == named["Ana"].pk
    assert member.support_received == ["companionship", "emotional"]
    member, _ = services.answer_prompt(client_record, actor=practitioner, prompt="stress",
                                       label="Ana", relationship="friend")
    assert member.valence == "mixed"  # supportive and a source of stress
    assert NetworkMember.objects.filter(client=client_record).count() == 5


@pytest.mark.django_db
def test_groups_prompt_makes_groups_and_services(client_record, practitioner):
    group, _ = services.answer_prompt(client_record, actor=practitioner, prompt="groups",
                                      label="Tuesday AA", relationship="mutual_aid_group")
    clinic, _ = services.answer_prompt(client_record, actor=practitioner, prompt="groups",
                                       label="Clinic", relationship="service")
    assert (group.kind, clinic.kind) == ("group", "service")


@pytest.mark.django_db
@pytest.mark.parametrize(("prompt", "label", "rel"), [("matters", "  ", "friend"),
                                                      ("matters", "Ana", "service"),
                                                      ("groups", "X", "parent")])
def test_bad_answers_change_nothing(client_record, practitioner, prompt, label, rel):
    with pytest.raises(ValidationError):
        services.answer_prompt(client_record, actor=practitioner, prompt=prompt, label=label,
                               relationship=rel)
    assert not NetworkMember.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_ties_are_undirected_and_exact(practitioner, named):
    services.set_ties(named["Ana"], actor=practitioner,
                      knows={named["Ben"].pk, named["Mum"].pk})
    services.set_ties(named["Ben"], actor=practitioner, knows={named["Ana"].pk})
    assert MemberTie.objects.count() == 2
    services.set_ties(named["Ana"], actor=practitioner, knows={named["Ben"].pk})
    assert MemberTie.objects.count() == 1
    network = services.current_network(named["Ana"].client)
    assert network.ties == {tuple(sorted((str(named["Ana"].key), str(named["Ben"].key))))}


@pytest.mark.django_db
def test_ties_only_within_the_clients_network(practitioner, named, outsider_client, outsider):
    stranger, _ = services.answer_prompt(outsider_client, actor=outsider, prompt="matters",
                                         label="Zed", relationship="friend")
    with pytest.raises(services.NetworkError):
        services.set_ties(named["Ana"], actor=practitioner, knows={stranger.pk})
    assert not MemberTie.objects.exists()


@pytest.mark.django_db
def test_assessment_freezes_the_network(client_record, practitioner, named):
    services.set_ties(named["Ana"], actor=practitioner, knows={named["Ben"].pk})
    first = services.save_assessment(client_record, actor=practitioner,
                                     on=timezone.localdate() - timedelta(days=30))
    assert first.metrics["size"] == 5 and len(first.snapshot["members"]) == 5
    services.update_member(named["Ana"], actor=practitioner, data={"circle": 3})
    services.remove_member(named["Dad"], actor=practitioner)
    first.refresh_from_db()
    assert first.metrics["size"] == 5  # later edits never alter a past assessment
    ana = next(m for m in first.snapshot["members"] if m["label"] == "Ana")
    assert ana["circle"] == 2
    second = services.save_assessment(client_record, actor=practitioner)
    assert second.metrics["size"] == 4
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    assert Assessment.objects.count() == 2


@pytest.mark.django_db
def test_assessment_in_the_future_is_refused(client_record, practitioner):
    with pytest.raises(ValidationError):
        services.save_assessment(client_record, actor=practitioner,
                                 on=timezone.localdate() + timedelta(days=1))
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_reassessment_starts_from_the_last_people(client_record, practitioner, named):
    services.save_assessment(client_record, actor=practitioner)
    services.review_member(named["Dad"], actor=practitioner, still_in_life=False)
    services.review_member(named["Ana"], actor=practitioner, still_in_life=True, circle=1)
    network = services.current_network(client_record)
    assert {m.label for m in network.members} == {"Ana", "Mum", "Ben", "Cal"}
    assert next(m for m in network.members if m.label == "Ana").circle == 1
    services.review_member(named["Dad"], actor=practitioner, still_in_life=True, circle=3)
    assert services.current_network(client_record).n == 5


@pytest.mark.django_db
def test_supporter_plan_and_review(practitioner, named):
    supporter = services.add_supporter(named["Mum"], actor=practitioner, data={
        "role": "Calls on Friday evenings", "support_kinds": ["moral", "emergency"],
        "attitude_to_use": "supports_change", "agreed_task": "Phone on Friday at 7"})
    with pytest.raises(services.NetworkError):
        services.add_supporter(named["Mum"], actor=practitioner, data={})
    services.review_supporter(supporter, actor=practitioner, data={
        "reviewed_on": timezone.localdate(), "outcome": "partly", "note": "Missed one call",
        "next_task": "Phone on Friday and Sunday"})
    supporter.refresh_from_db()
    assert supporter.agreed_task == "Phone on Friday and Sunday"
    with pytest.raises(ValidationError):
        services.add_supporter(named["Ana"], actor=practitioner, data={
            "role": "x", "support_kinds": [], "attitude_to_use": "neutral", "agreed_task": "x"})


@pytest.mark.django_db
def test_every_change_is_audited(client_record, practitioner, named):
    assert AuditEntry.objects.filter(client=client_record,
                                     action="ecomap.network.member_added").count() == 5
    services.update_member(named["Ana"], actor=practitioner, data={"contact": "daily"})
    entry = AuditEntry.objects.get(action="ecomap.network.member_updated")
    assert entry.changes == {"contact": ["monthly", "daily"]} and entry.actor == practitioner
    services.save_assessment(client_record, actor=practitioner)
    assert AuditEntry.objects.filter(action="ecomap.network.assessment_saved").exists()


@pytest.mark.django_db
def test_a_row_of_the_tie_grid_changes_only_its_own_pairs(practitioner, named):
    ana, ben, cal = named["Ana"], named["Ben"], named["Cal"]
    services.set_ties(ana, actor=practitioner, knows={ben.pk}, among={ben.pk, cal.pk})
    # Ben's row shows only Cal: ticking there must keep the Ana-Ben tie made in Ana's row.
    services.set_ties(ben, actor=practitioner, knows={cal.pk}, among={cal.pk})
    pairs = set(MemberTie.objects.values_list("a_id", "b_id"))
    assert pairs == {tuple(sorted((ana.pk, ben.pk))), tuple(sorted((ben.pk, cal.pk)))}
    with pytest.raises(services.NetworkError):
        services.set_ties(ben, actor=practitioner, knows={ana.pk}, among={cal.pk})
