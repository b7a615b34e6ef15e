from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.network import services
from ecomap.network.models import AcceptedIntervention, Assessment, MemberTie, NetworkMember


def _url(client, tail=""):
    return f"/clients/{client.pk}/network/{tail}"


@pytest.mark.django_db
def test_interview_adds_people_through_the_prompts(as_user, practitioner, client_record):
    http = as_user(practitioner)
    assert http.get(_url(client_record, "interview/")).status_code == 200
    response = http.post(_url(client_record, "interview/?step=prompts&prompt=matters"),
                         {"label": "Ana", "relationship": "friend"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body  # the partial only
    assert "Ana added." in body and "1 person or group named" in body
    http.post(_url(client_record, "interview/?step=prompts&prompt=free_time"),
              {"label": "ana", "relationship": "friend"}, HTTP_HX_REQUEST="true")
    member = NetworkMember.objects.get()
    assert member.support_received == ["companionship", "emotional"]


@pytest.mark.django_db
def test_interview_rejects_bad_answers(as_user, practitioner, client_record):
    response = as_user(practitioner).post(
        _url(client_record, "interview/?step=prompts&prompt=groups"),
        {"label": "", "relationship": "parent"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"label", "relationship"}
    assert not NetworkMember.objects.exists()


@pytest.mark.django_db
def test_circles_ties_and_details(as_user, practitioner, client_record):
    ana, _ = services.answer_prompt(client_record, actor=practitioner, prompt="matters",
                                    label="Ana", relationship="friend")
    ben, _ = services.answer_prompt(client_record, actor=practitioner, prompt="matters",
                                    label="Ben", relationship="sibling")
    http = as_user(practitioner)
    response = http.post(_url(client_record, f"members/{ana.pk}/circle/"), {"circle": "1"},
                         HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="circle-{ana.pk}"' in response.content.decode()
    assert http.post(_url(client_record, f"members/{ana.pk}/circle/"),
                     {"circle": "9"}).status_code == 400
    http.post(_url(client_record, f"members/{ana.pk}/ties/"), {"knows": [ben.pk]},
              HTTP_HX_REQUEST="true")
    assert MemberTie.objects.count() == 1
    for step in ("circles", "ties", "details"):
        assert http.get(_url(client_record, f"interview/?step={step}")).status_code == 200
    response = http.post(_url(client_record, f"members/{ben.pk}/"), {
        "label": "Ben", "kind": "person", "relationship": "sibling", "circle": "2",
        "contact": "weekly", "support_received": ["emotional", "practical"], "valence": "mixed",
        "substance_use": "none", "recovery_stance": "supportive", "notes": ""})
    assert response.status_code == 302
    ben.refresh_from_db()
    assert (ben.contact, ben.support_received) == ("weekly", ["emotional", "practical"])
    ana.refresh_from_db()
    assert ana.circle == 1


@pytest.mark.django_db
def test_member_form_errors_save_nothing(as_user, practitioner, client_record):
    ana, _ = services.answer_prompt(client_record, actor=practitioner, prompt="matters",
                                    label="Ana", relationship="friend")
    response = as_user(practitioner).post(_url(client_record, f"members/{ana.pk}/"), {
        "label": "", "kind": "robot", "relationship": "friend", "circle": "2",
        "contact": "weekly", "valence": "supportive", "substance_use": "none",
        "recovery_stance": "supportive"})
    assert response.status_code == 400
    assert {"label", "kind"} <= set(response.context["form"].errors)
    ana.refresh_from_db()
    assert ana.label == "Ana"


def _build(client, practitioner, n, prefix="P"):
    """n people named, each tied to the next."""
    made = [services.answer_prompt(client, actor=practitioner, prompt="matters",
                                   label=f"{prefix}{i}", relationship="friend")[0]
            for i in range(n)]
    for a, b in zip(made, made[1:], strict=False):
        MemberTie.objects.create(client=client, a_id=min(a.pk, b.pk), b_id=max(a.pk, b.pk))


def _queries(http, url):
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_network_page_queries_do_not_grow_with_the_network(as_user, practitioner, client_record):
    http = as_user(practitioner)
    _build(client_record, practitioner, 3)
    services.save_assessment(client_record, actor=practitioner)
    pages = [_url(client_record), _url(client_record, "interview/?step=ties"),
             f"/clients/{client_record.pk}/"]
    small = [_queries(http, page) for page in pages]
    _build(client_record, practitioner, 25, prefix="Q")
    services.save_assessment(client_record, actor=practitioner)
    large = [_queries(http, page) for page in pages]
    assert large == small


@pytest.mark.django_db
def test_network_page_shows_map_measures_and_recommendations(as_user, practitioner,
                                                             client_record):
    _build(client_record, practitioner, 2)
    response = as_user(practitioner).get(_url(client_record))
    body = response.content.decode()
    assert response.status_code == 200 and "<svg" in body and "P0" in body
    assert any(m.rule.id == "small-network" for m in response.context["recommendations"])
    read = AuditEntry.objects.get(action="ecomap.client.read", client=client_record)
    assert read.data["page"] == "network:home"


@pytest.mark.django_db
def test_save_assessment_and_compare(as_user, practitioner, client_record):
    http = as_user(practitioner)
    _build(client_record, practitioner, 3)
    earlier = (timezone.localdate() - timedelta(days=60)).isoformat()
    response = http.post(_url(client_record, "assessments/new/"), {"assessed_on": earlier})
    first = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/assessments/{first.pk}/")
    services.answer_prompt(client_record, actor=practitioner, prompt="groups", label="SMART",
                           relationship="mutual_aid_group")
    services.remove_member(NetworkMember.objects.get(label="P0"), actor=practitioner)
    http.post(_url(client_record, "assessments/new/"), {"assessed_on": timezone.localdate()})
    second = Assessment.objects.exclude(pk=first.pk).get()
    response = http.get(_url(client_record, f"assessments/compare/?before={first.pk}&after={second.pk}"))
    assert response.status_code == 200
    people = response.context["people"]
    assert people["added"] == ["SMART"] and people["gone"] == ["P0"]
    assert http.get(_url(client_record, f"assessments/{first.pk}/")).status_code == 200


@pytest.mark.django_db
def test_future_assessment_is_refused(as_user, practitioner, client_record):
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = as_user(practitioner).post(_url(client_record, "assessments/new/"),
                                          {"assessed_on": future}, follow=True)
    assert "cannot be dated in the future" in response.content.decode()
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_compare_needs_two_of_this_clients_assessments(as_user, practitioner, client_record,
                                                       outsider_client, outsider):
    mine = services.save_assessment(client_record, actor=practitioner)
    theirs = services.save_assessment(outsider_client, actor=outsider)
    response = as_user(practitioner).get(
        _url(client_record, f"assessments/compare/?before={theirs.pk}&after={mine.pk}"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_review_step(as_user, practitioner, client_record):
    _build(client_record, practitioner, 2)
    services.save_assessment(client_record, actor=practitioner)
    p0, p1 = NetworkMember.objects.order_by("label")
    http = as_user(practitioner)
    assert http.get(_url(client_record, "review/")).status_code == 200
    response = http.post(_url(client_record, "review/"), {
        f"m{p0.pk}-still_in_life": "no", f"m{p0.pk}-circle": "2",
        f"m{p1.pk}-still_in_life": "yes", f"m{p1.pk}-circle": "1"})
    assert response.status_code == 302
    p0.refresh_from_db()
    p1.refresh_from_db()
    assert (p0.active, p1.circle) == (False, 1)


@pytest.mark.django_db
def test_accept_a_recommendation(as_user, practitioner, client_record):
    http = as_user(practitioner)
    http.post(_url(client_record, "accept/"), {"rule": "small-network", "note": "Peer group"})
    accepted = AcceptedIntervention.objects.get()
    assert accepted.rule_id == "small-network" and accepted.note == "Peer group"
    http.post(_url(client_record, "accept/"), {"rule": "stressful-family"})  # does not apply
    assert AcceptedIntervention.objects.count() == 1
    assert AuditEntry.objects.filter(action="ecomap.network.intervention_accepted").count() == 1


@pytest.mark.django_db
def test_supporters_page(as_user, practitioner, client_record):
    ana, _ = services.answer_prompt(client_record, actor=practitioner, prompt="matters",
                                    label="Ana", relationship="friend")
    http = as_user(practitioner)
    response = http.post(_url(client_record, "supporters/"), {
        "member": ana.pk, "role": "Walks with me", "support_kinds": ["moral"],
        "attitude_to_use": "supports_change", "agreed_task": "Walk on Sundays"})
    assert response.status_code == 302
    response = http.post(_url(client_record, "supporters/"), {"member": ana.pk, "role": ""})
    assert response.status_code == 404  # no longer a candidate
    supporter = ana.supporter
    http.post(_url(client_record, f"supporters/{supporter.pk}/review/"), {
        "reviewed_on": timezone.localdate().isoformat(), "outcome": "done", "note": "",
        "next_task": ""})
    assert supporter.reviews.count() == 1


@pytest.mark.django_db
def test_assessment_pdf_holds_the_map(as_user, practitioner, client_record):
    _build(client_record, practitioner, 3)
    assessment = services.save_assessment(client_record, actor=practitioner)
    response = as_user(practitioner).get(_url(client_record, f"assessments/{assessment.pk}/pdf/"))
    if response.status_code == 302:  # no Pango on this machine: a clear message instead
        pytest.skip("WeasyPrint cannot run here (the operating system lacks Pango)")
    assert response["Content-Type"] == "application/pdf" and response.content[:5] == b"%PDF-"
    read = AuditEntry.objects.get(action="ecomap.client.read", client=client_record)
    assert read.data == {"page": "network:assessment_pdf",
                         "arguments": {"assessment_pk": str(assessment.pk)}}


@pytest.mark.django_db
def test_export_both_formats_with_names_replaced(as_user, practitioner, client_record):
    import io
    import zipfile

    import networkx

    _build(client_record, practitioner, 3)
    http = as_user(practitioner)
    assert http.get(_url(client_record, "files/")).status_code == 200
    response = http.post(_url(client_record, "files/"), {
        "action": "export", "format": "nc_csv", "source": "live", "redact_labels": "on"})
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert any(n.endswith("_ego.csv") for n in names)
    assert any("attributeList_Person" in n for n in names)
    body = b"".join(zipfile.ZipFile(io.BytesIO(response.content)).read(n) for n in names)
    assert b"P0" not in body and client_record.legal_last_name.encode() not in body
    response = http.post(_url(client_record, "files/"), {
        "action": "export", "format": "graphml", "source": "live"})
    graph = networkx.read_graphml(io.BytesIO(response.content))
    assert graph.number_of_nodes() == 3 and graph.number_of_edges() == 2
    assert AuditEntry.objects.filter(action="ecomap.network.exported").count() == 2


@pytest.mark.django_db
def test_import_is_checked_then_confirmed(as_user, practitioner, client_record, outsider_client,
                                          outsider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _build(outsider_client, outsider, 3, prefix="R")
    services.answer_prompt(client_record, actor=practitioner, prompt="matters", label="R1",
                           relationship="friend")
    export = as_user(outsider).post(f"/clients/{outsider_client.pk}/network/files/", {
        "action": "export", "format": "graphml", "source": "live"}).content
    http = as_user(practitioner)
    response = http.post(_url(client_record, "files/"), {
        "action": "check", "file": SimpleUploadedFile("n.graphml", export)})
    preview = response.context["preview"]
    assert [m.label for m in preview["members"]] == ["R0", "R2"] and preview["skipped"] == ["R1"]
    assert NetworkMember.objects.filter(client=client_record).count() == 1  # nothing saved yet
    response = http.post(_url(client_record, "files/"), {"action": "confirm",
                                                         "payload": preview["payload"]})
    assert response.status_code == 302
    labels = sorted(NetworkMember.objects.filter(client=client_record).values_list("label", flat=True))
    assert labels == ["R0", "R1", "R2"]
    assert MemberTie.objects.filter(client=client_record).count() == 2


@pytest.mark.django_db
def test_bad_import_changes_nothing(as_user, practitioner, client_record):
    from django.core.files.uploadedfile import SimpleUploadedFile

    http = as_user(practitioner)
    response = http.post(_url(client_record, "files/"), {
        "action": "check", "file": SimpleUploadedFile("n.graphml", b"<graphml><oops")})
    assert response.status_code == 200 and "preview" not in response.context
    assert any(line.level == "error" for line in response.context["report"].lines)
    assert "malformed XML" in response.content.decode()
    response = http.post(_url(client_record, "files/"), {"action": "confirm", "payload": "forged"})
    assert response.status_code == 400 and "expired or was altered" in response.content.decode()
    assert not NetworkMember.objects.exists()


@pytest.mark.django_db
def test_an_export_that_leaves_the_agency_needs_a_consent_naming_the_recipient(
        as_user, practitioner, client_record):
    from ecomap.consents.models import Disclosure
    from ecomap.consents.tests.factories import ConsentFactory

    _build(client_record, practitioner, 3)
    http = as_user(practitioner)
    post = {"action": "export", "format": "graphml", "source": "live", "redact_labels": "on",
            "recipient_name": "Riverside University Network Lab", "recipient_kind": "organisation",
            "purpose": "research"}
    response = http.post(_url(client_record, "files/"), post)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert "No consent names this recipient" in response.content.decode()
    assert not Disclosure.objects.exists()
    assert http.post(_url(client_record, "files/"), {**post, "purpose": ""}).status_code == 400

    consent = ConsentFactory(
        client=client_record, purposes=["research"],
        categories=["social_network", "substance_use"],
        recipients=[{"designation": "named", "kind": "organisation",
                     "name": "Riverside University Network Lab"}])
    response = http.post(_url(client_record, "files/"), post)
    assert response["Content-Type"] == "application/graphml+xml"
    disclosure = Disclosure.objects.get()
    assert disclosure.method == "export" and disclosure.consent == consent
    assert set(disclosure.categories) >= {"social_network"} and disclosure.notice_text
    entry = AuditEntry.objects.filter(action="ecomap.network.exported").latest("pk")
    assert entry.data["disclosure"] == disclosure.pk

    consent.revoked_on = timezone.localdate()
    consent.revocation_method = "letter"
    consent.save()
    response = http.post(_url(client_record, "files/"), post)
    assert response.status_code == 400 and "revoked" in response.content.decode()
    assert Disclosure.objects.count() == 1


@pytest.mark.django_db
def test_an_imported_long_name_is_saved_whole(as_user, practitioner, client_record):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecomap.network import interchange
    from ecomap.network.graph import Member, Network

    name = "The housing office at the county council, second floor, ask for the duty worker there"
    network = Network.build([Member("00000000-0000-0000-0000-000000000001", name, "service",
                                    "service", 3)], [])
    data = interchange.export_graphml(network, ego_id="x", ego_attributes={})
    http = as_user(practitioner)
    response = http.post(_url(client_record, "files/"), {
        "action": "check", "file": SimpleUploadedFile("n.graphml", data)})
    assert "kept whole" in response.content.decode()
    http.post(_url(client_record, "files/"), {"action": "confirm",
                                             "payload": response.context["preview"]["payload"]})
    assert NetworkMember.objects.get(client=client_record).label == name
