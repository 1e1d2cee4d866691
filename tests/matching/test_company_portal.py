"""The company side of matching through the test client (#5): the candidates a company was referred, what it
may see of them, scores, interviews, outcomes, the ranking of a position, the answers to published matches,
and that a company never reaches another company's candidates or a withdrawn referral."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from applicants.models import DocumentKind
from jip import clock
from matching import services
from matching.models import (
    CandidateScore,
    Interview,
    InterviewSlot,
    InterviewStatus,
    Match,
    MatchDecision,
    Placement,
    Referral,
)

from ..factories import (
    DocumentFactory,
    MatchFactory,
    MatchingRoundFactory,
    PositionFactory,
    UserFactory,
    placement_for,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


def url(name: str, *args) -> str:
    return reverse(f"matching:{name}", args=args)


def page(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's visible text of <main>, tags removed and spaces collapsed."""
    html = page(response)
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'").replace("&quot;", '"')


def field_errors(response, name: str) -> list[str]:
    """The messages shown beside a field, as crispy-forms renders them (and the pages' own boxes do)."""
    return re.findall(rf'id="error_\d+_id_{name}"><strong>(.*?)</strong>', page(response), re.S)


def slot_in(days: int, hour: int = 10, minute: int = 0) -> str:
    """A datetime-local value, `days` from today in Japan."""
    day = clock.today_jst() + dt.timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:{minute:02d}"


def jst(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M").replace(tzinfo=clock.JST)


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


def propose(referral, by, *, days=(3,), mode="online", place="https://meet.example/abc", duration=30):
    return services.interview_propose(
        referral=referral, mode=mode, place=place, slots=[jst(slot_in(d)) for d in days],
        duration_minutes=duration, by=by,
    )  # fmt: skip


def schedule(referral, by):
    """Slots proposed by the company, the first chosen by the applicant."""
    interview = propose(referral, by, days=(3, 4))
    slot = interview.slots.order_by("starts_at").first()
    return services.interview_slot_choose(interview=interview, slot=slot, by=referral.application.applicant)


def grow(make_pool_application, refer, position, manager, n: int) -> list[Referral]:
    """`n` more candidates of the position, each scored, with an interview scheduled and a rank."""
    referrals = []
    for _ in range(n):
        referral = refer(make_pool_application(), position)
        services.candidate_score(
            referral=referral,
            scores={"skills": 4, "language": 3, "motivation": 5, "fit": 2},
            note="",
            by=manager,
        )
        schedule(referral, manager)
        referrals.append(referral)
    services.company_ranking_set(position=position, order=[r.pk for r in referrals], by=manager)
    return referrals


# --- Who may open the pages ---------------------------------------------------------------------------


def company_pages(referral, match=None):
    pages = [
        ("get", url("company_candidates")),
        ("get", url("company_candidate", referral.pk)),
        ("post", url("company_candidate_score", referral.pk)),
        ("post", url("company_interview_propose", referral.pk)),
        ("post", url("company_interview_outcome", referral.pk)),
        ("get", url("company_ranking", referral.position_id)),
        ("post", url("company_ranking", referral.position_id)),
        ("get", url("company_matches")),
    ]
    if match is not None:
        pages += [("get", url("company_match_answer", match.pk) + "?answer=accept")]
        pages += [("post", url("company_match_answer", match.pk))]
    return pages


def test_an_applicant_gets_403_on_every_company_page(client, referral):
    match = MatchFactory(
        application=referral.application, position=referral.position, company_decision="pending"
    )
    client.force_login(referral.application.applicant)
    for method, address in company_pages(referral, match):
        assert getattr(client, method)(address).status_code == 403, address
    assert not CandidateScore.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, referral):
    for method, address in company_pages(referral):
        response = getattr(client, method)(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("account_login"))


def test_another_company_gets_404_for_this_company_s_objects(
    client, other_company_manager, referral, other_referral, manager
):
    match = MatchFactory(
        application=referral.application, position=referral.position, company_decision="pending"
    )
    client.force_login(other_company_manager)
    for method, address in company_pages(referral, match)[1:]:
        if address == url("company_matches"):
            continue
        assert getattr(client, method)(address, {"answer": "accept", "skills": "5"}).status_code == 404, (
            address
        )
    match.refresh_from_db()
    assert match.company_decision == MatchDecision.PENDING
    assert not CandidateScore.objects.exists()
    # Its own referral of the same applicant is there; this company's is not.
    html = page(client.get(url("company_candidates")))
    assert url("company_candidate", other_referral.pk) in html
    assert url("company_candidate", referral.pk) not in html
    assert "Overseas sales assistant" not in html
    assert match.position.title not in page(client.get(url("company_matches")))


def test_a_company_sees_a_candidate_only_after_referral(as_manager, pool_application, position, refer):
    assert "No candidates yet." in text(as_manager.get(url("company_candidates")))
    assert pool_application.number not in page(as_manager.get(url("company_candidates")))

    referral = refer(pool_application, position)

    assert pool_application.number in page(as_manager.get(url("company_candidates")))
    assert as_manager.get(url("company_candidate", referral.pk)).status_code == 200


def test_a_referral_withdrawn_by_the_office_disappears(as_manager, referral, staff):
    services.referral_withdraw(referral=referral, by=staff, reason="Placed elsewhere.")

    assert referral.application.number not in page(as_manager.get(url("company_candidates")))
    assert as_manager.get(url("company_candidate", referral.pk)).status_code == 404
    assert as_manager.post(url("company_candidate_score", referral.pk), {"skills": "4"}).status_code == 404
    ranking = page(as_manager.get(url("company_ranking", referral.position_id)))
    assert referral.application.number not in ranking
    assert "No open referral for this position" in ranking


def test_unknown_ids_are_404(as_manager, referral):
    for address in (
        url("company_candidate", 999_999),
        url("company_candidate_score", 999_999),
        url("company_ranking", 999_999),
        url("company_match_answer", 999_999),
    ):
        assert as_manager.post(address, {}).status_code == 404


# --- The list ------------------------------------------------------------------------------------------


def test_the_list_shows_each_candidate_s_summary(as_manager, referral, manager):
    schedule(referral, manager)
    services.candidate_score(
        referral=referral, scores={"skills": 4, "language": 3, "motivation": None, "fit": None}, note="",
        by=manager,
    )  # fmt: skip
    services.company_ranking_set(position=referral.position, order=[referral.pk], by=manager)
    chosen = referral.interview.chosen_slot.starts_at.astimezone(clock.JST)

    body = text(as_manager.get(url("company_candidates")))

    row = body[body.index("Rank") :]
    for shown in (
        referral.application.number, "NGUYEN Van An", "グエン・ヴァン・アン", "Vietnam", "Student",
        "Computer science", "Vietnam National University, Hanoi", "JLPT N2", "English: IELTS 6.5",
        "Both (either course)", "Scheduled", f"{chosen:%Y-%m-%d %H:%M} JST", "3.5",
    ):  # fmt: skip
        assert shown in row, shown
    assert "1 candidate" in body


@pytest.fixture
def three_candidates(referral, make_pool_application, refer, position, manager):
    """The fixture's candidate (N2, IELTS) referred first; Ahmed (N4) with an interview; Bui (N1) declined."""
    ahmed = refer(make_pool_application(family_name="Ahmed", given_names="Sara", jlpt_level=4), position)
    propose(ahmed, manager)
    bui = refer(make_pool_application(family_name="Bui", given_names="Minh", jlpt_level=1), position)
    services.referral_decline(referral=bui, by=bui.application.applicant, reason="")
    services.company_ranking_set(position=position, order=[ahmed.pk, referral.pk], by=manager)
    return {"nguyen": referral, "ahmed": ahmed, "bui": bui}


def shown_order(response, candidates) -> list[str]:
    html = page(response)
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    found = {name: table.find(url("company_candidate", r.pk)) for name, r in candidates.items()}
    return [name for name, at in sorted(found.items(), key=lambda kv: kv[1]) if at >= 0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["ahmed", "nguyen", "bui"]),
        ({"status": "referred"}, ["ahmed", "nguyen"]),
        ({"status": "interview"}, ["ahmed"]),
        ({"status": "no_interview"}, ["nguyen"]),
        ({"status": "declined"}, ["bui"]),
        ({"jlpt": "2"}, ["nguyen", "bui"]),
        ({"jlpt": "1"}, ["bui"]),
        ({"sort": "newest"}, ["bui", "ahmed", "nguyen"]),
        ({"sort": "name"}, ["ahmed", "bui", "nguyen"]),
        ({"sort": "jlpt"}, ["bui", "nguyen", "ahmed"]),
        ({"status": "referred", "sort": "name", "jlpt": "4"}, ["ahmed", "nguyen"]),
        # A bad value falls back to its default; never an error.
        ({"status": "withdrawn"}, ["ahmed", "nguyen", "bui"]),
        ({"status": "x", "jlpt": "9", "sort": "evil", "position": "abc"}, ["ahmed", "nguyen", "bui"]),
        ({"jlpt": "-1", "position": "999999999999999999999"}, ["ahmed", "nguyen", "bui"]),
    ],
)
def test_filters_and_order(as_manager, three_candidates, query, expected):
    response = as_manager.get(url("company_candidates"), query)
    assert response.status_code == 200
    assert shown_order(response, three_candidates) == expected


def test_filter_by_position(
    as_manager, three_candidates, company, cycle, make_pool_application, refer, other_referral, other_position
):
    second = PositionFactory(company=company, cycle=cycle, status="approved", title="Web developer")
    dang = refer(make_pool_application(family_name="Dang"), second)
    candidates = {**three_candidates, "dang": dang}

    both = as_manager.get(url("company_candidates"))
    assert shown_order(both, candidates) == ["ahmed", "nguyen", "dang", "bui"]
    assert "Web developer" in text(both)  # the position column, with several positions
    only = as_manager.get(url("company_candidates"), {"position": second.pk})
    assert shown_order(only, candidates) == ["dang"]
    # Another company's position is not a choice: the filter falls back to all of ours, none of theirs.
    theirs = as_manager.get(url("company_candidates"), {"position": other_position.pk})
    assert shown_order(theirs, candidates) == ["ahmed", "nguyen", "dang", "bui"]
    assert url("company_candidate", other_referral.pk) not in page(theirs)
    assert "Export clerk" not in page(theirs)


def test_no_candidate_matches_the_filters(as_manager, referral):
    body = text(as_manager.get(url("company_candidates"), {"status": "declined"}))
    assert "No candidate matches these filters." in body
    assert referral.application.number not in body


# --- The candidate page --------------------------------------------------------------------------------


def test_the_candidate_page_shows_what_a_company_may_see_and_nothing_private(as_manager, referral, company):
    application = referral.application
    application.city = "Cau Giay District"
    application.save(update_fields=["city"])

    response = as_manager.get(url("company_candidate", referral.pk))

    html, body = page(response), text(response)
    for shown in (
        "NGUYEN Van An", "グエン・ヴァン・アン", application.number, "Vietnam", "Thailand",
        "Vietnam National University, Hanoi", "Computer science", "Bachelor's degree", "June 2025",
        "JLPT N2", "English: IELTS 6.5", "Both (either course)",
        "I want to help a small manufacturer sell in Viet Nam.", "Python, market research, spreadsheets.",
        "Note from the JIP office: Strong in Python; ask about the start date.",
        # The fit, evaluated again in the reader's language.
        "JLPT N2 meets the N3 asked for.", "IELTS 6.5: compare with the CEFR B1 asked for.",
        "Skills in common: python, spreadsheets.",
        "The company's own conditions, to check by hand: Able to join meetings at 10:00 JST.",
        "The applicant has not uploaded a CV yet.", "Slots (Japan time, JST)",
    ):  # fmt: skip
        assert shown in body, shown
    assert company.name in html
    for private in (
        "an.nguyen@applicant.example", "+84 90 123 4567", "Cau Giay District", "2000-05-17", "May 17, 2000",
        "17 May 2000", "Date of birth", "date of birth",
    ):  # fmt: skip
        assert private not in html, private


def test_the_candidate_page_in_japanese(as_manager, referral):
    as_manager.cookies["django_language"] = "ja"
    html = page(as_manager.get(url("company_candidate", referral.pk)))
    assert '<html lang="ja">' in html
    assert "株式会社サンプル精工" in html


def test_the_cv_opens_inline_for_the_company_and_only_the_cv(client, manager, other_company_manager, referral,
                                                               private_media):  # fmt: skip
    application = referral.application
    cv = DocumentFactory(application=application, kind=DocumentKind.CV, file=ContentFile(PDF, name="cv.pdf"))
    certificate = DocumentFactory(
        application=application, kind=DocumentKind.RECOMMENDATION, file=ContentFile(PDF, name="letter.pdf")
    )
    client.force_login(manager)

    html = page(client.get(url("company_candidate", referral.pk)))
    link = url("company_candidate_cv", referral.pk)
    assert f'href="{link}" target="_blank" rel="noopener"' in html
    opened = client.get(link)
    assert opened.status_code == 200
    assert opened["Content-Disposition"].startswith("inline")
    assert opened["Cache-Control"] == "private, no-store" and opened["X-Content-Type-Options"] == "nosniff"
    assert b"".join(opened.streaming_content) == PDF
    # The applicants' file view serves the applicant and the office only: no company reads a document there.
    assert client.get(reverse("applicants:document_file", args=[cv.pk])).status_code == 404
    assert client.get(reverse("applicants:document_file", args=[certificate.pk])).status_code == 404

    client.force_login(other_company_manager)
    assert client.get(link).status_code == 404


def test_no_cv_uploaded_answers_404(as_manager, referral, private_media):
    DocumentFactory(application=referral.application, kind=DocumentKind.CV)  # asked for, nothing uploaded yet

    assert "The applicant has not uploaded a CV yet." in text(
        as_manager.get(url("company_candidate", referral.pk))
    )
    assert as_manager.get(url("company_candidate_cv", referral.pk)).status_code == 404


def test_the_cv_is_closed_once_the_applicant_declines(as_manager, referral, private_media):
    DocumentFactory(
        application=referral.application, kind=DocumentKind.CV, file=ContentFile(PDF, name="a.pdf")
    )
    services.referral_decline(referral=referral, by=referral.application.applicant, reason="Found a job.")

    response = as_manager.get(url("company_candidate", referral.pk))

    body = text(response)
    assert "The applicant declined this referral" in body
    assert "Not available: the referral is closed." in body
    assert "Found a job." not in body
    assert "Send the slots" not in body and "Save the scores" not in body
    assert as_manager.get(url("company_candidate_cv", referral.pk)).status_code == 404


# --- Scores --------------------------------------------------------------------------------------------


def test_scores_are_saved_and_removed(as_manager, referral):
    data = {"skills": "4", "language": "5", "motivation": "3", "fit": "", "note": "  Good questions.  "}
    response = as_manager.post(url("company_candidate_score", referral.pk), data)

    assert response.status_code == 302
    assert response["Location"] == url("company_candidate", referral.pk) + "#scores"
    scores = dict(CandidateScore.objects.filter(referral=referral).values_list("criterion", "score"))
    assert scores == {"skills": 4, "language": 5, "motivation": 3}
    referral.refresh_from_db()
    assert referral.company_note == "Good questions."
    body = text(as_manager.get(url("company_candidate", referral.pk)))
    assert "The scores are saved." in body
    assert "4.0 (3 of 4 criteria)" in body

    as_manager.post(url("company_candidate_score", referral.pk), {**data, "skills": "", "language": "2"})
    scores = dict(CandidateScore.objects.filter(referral=referral).values_list("criterion", "score"))
    assert scores == {"language": 2, "motivation": 3}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"skills": "0"}, "skills", "Select a valid choice. 0 is not one of the available choices."),
        ({"language": "6"}, "language", "Select a valid choice. 6 is not one of the available choices."),
        ({"motivation": "x"}, "motivation", "Select a valid choice. x is not one of the available choices."),
        ({"fit": "3.5"}, "fit", "Select a valid choice. 3.5 is not one of the available choices."),
        ({"fit": "-1"}, "fit", "Select a valid choice. -1 is not one of the available choices."),
        ({"note": "n" * 2001}, "note", "Ensure this value has at most 2000 characters (it has 2001)."),
    ],
)
def test_bad_scores_are_refused_beside_the_field(as_manager, referral, data, field, message):
    response = as_manager.post(url("company_candidate_score", referral.pk), {"skills": "4", **data})

    assert response.status_code == 400
    assert field_errors(response, field) == [message]
    assert not CandidateScore.objects.exists()


def test_a_declined_referral_cannot_be_scored(as_manager, referral):
    services.referral_decline(referral=referral, by=referral.application.applicant, reason="")
    response = as_manager.post(url("company_candidate_score", referral.pk), {"skills": "4"})
    assert response.status_code == 400
    assert not CandidateScore.objects.exists()


def test_score_requires_post(as_manager, referral):
    assert as_manager.get(url("company_candidate_score", referral.pk)).status_code == 405


# --- Interviews ----------------------------------------------------------------------------------------


def test_slots_are_proposed_in_japan_time(
    as_manager, referral, django_capture_on_commit_callbacks, mailoutbox
):
    first, second = slot_in(3, 10, 30), slot_in(5, 16)
    data = {"mode": "on_site", "place": "Nagoya head office, 3F", "duration_minutes": "45",
            "slots": [second, "", first, ""]}  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(url("company_interview_propose", referral.pk), data)

    assert response.status_code == 302
    interview = Interview.objects.get(referral=referral)
    assert (interview.mode, interview.place, interview.status) == (
        "on_site",
        "Nagoya head office, 3F",
        "proposed",
    )
    slots = list(interview.slots.values_list("starts_at", "duration_minutes"))
    assert slots == [(jst(first), 45), (jst(second), 45)]
    assert slots[0][0].astimezone(dt.UTC).hour == 1  # 10:30 JST is 01:30 UTC
    assert [m.to for m in mailoutbox] == [["an.nguyen@applicant.example"]]

    body = text(as_manager.get(url("company_candidate", referral.pk)))
    assert "Slots sent to the applicant (JST); waiting for their choice:" in body
    assert f"{jst(first):%Y-%m-%d} " in body and "10:30 JST · 45 min" in body
    assert "Propose other slots" in body
    assert "Record the outcome" not in body


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"slots": []}, "slots", "Propose at least one slot."),
        ({"slots": ["", ""]}, "slots", "Propose at least one slot."),
        ({"slots": [slot_in(d) for d in range(1, 7)]}, "slots", "Propose at most 5 slots."),
        ({"slots": [slot_in(-1)]}, "slots", "Every slot must be in the future"),
        ({"slots": ["2020-01-01T10:00"]}, "slots", "Every slot must be in the future"),
        ({"slots": ["0001-01-01T00:00"]}, "slots", "Every slot must be in the future"),
        ({"slots": [slot_in(400)]}, "slots", "is more than a year away"),
        ({"slots": ["9999-12-31T23:59"]}, "slots", "is more than a year away"),
        ({"slots": ["2024-13-45T10:00"]}, "slots", "is not a date and time"),
        ({"slots": ["tomorrow"]}, "slots", "is not a date and time"),
        ({"slots": [slot_in(2), "x"]}, "slots", "is not a date and time"),
        ({"mode": "bogus"}, "mode", "Select a valid choice."),
        ({"mode": ""}, "mode", "This field is required."),
        ({"place": "   "}, "place", "This field is required."),
        ({"place": "p" * 301}, "place", "at most 300 characters"),
        ({"duration_minutes": "5"}, "duration_minutes", "greater than or equal to 10"),
        ({"duration_minutes": "500"}, "duration_minutes", "less than or equal to 240"),
        ({"duration_minutes": "x"}, "duration_minutes", "Enter a whole number."),
    ],
)
def test_bad_interview_proposals_are_refused_beside_the_field(as_manager, referral, change, field, message):
    data = {"mode": "online", "place": "https://meet.example/abc", "duration_minutes": "30",
            "slots": [slot_in(2)], **change}  # fmt: skip

    response = as_manager.post(url("company_interview_propose", referral.pk), data)

    assert response.status_code == 400
    errors = field_errors(response, field)
    assert len(errors) == 1 and message in errors[0], errors
    assert not Interview.objects.exists()
    assert not InterviewSlot.objects.exists()


def test_a_service_refusal_is_shown_on_the_form(as_manager, referral):
    services.referral_decline(referral=referral, by=referral.application.applicant, reason="")
    data = {
        "mode": "online",
        "place": "https://meet.example/a",
        "duration_minutes": "30",
        "slots": [slot_in(2)],
    }

    response = as_manager.post(url("company_interview_propose", referral.pk), data)

    assert response.status_code == 400
    assert "This referral is closed." in text(response)
    assert not Interview.objects.exists()


def test_the_outcome_of_a_scheduled_interview(as_manager, referral, manager):
    interview = schedule(referral, manager)
    chosen = interview.chosen_slot.starts_at.astimezone(clock.JST)

    body = text(as_manager.get(url("company_candidate", referral.pk)))
    assert f"The applicant chose: {chosen:%Y-%m-%d}" in body
    assert f"{chosen:%H:%M} JST · 30 min" in body
    assert "Record the outcome" in body
    assert "Propose other slots" not in body

    too_early = as_manager.post(url("company_interview_outcome", referral.pk), {"outcome": "would_host"})
    assert "The interview has not started yet." in text(too_early)
    with time_machine.travel(interview.chosen_slot.starts_at + dt.timedelta(hours=1)):
        response = as_manager.post(
            url("company_interview_outcome", referral.pk),
            {"outcome": "would_host", "note": "Clear and curious."},
        )

    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.status, interview.outcome, interview.outcome_note) == (
        InterviewStatus.COMPLETED, "would_host", "Clear and curious.",
    )  # fmt: skip
    body = text(as_manager.get(url("company_candidate", referral.pk)))
    assert "The outcome of the interview is saved." in body
    assert "Would host" in body and "Change the outcome" in body


@pytest.mark.parametrize(
    ("state", "data", "message"),
    [
        ("none", {"outcome": "would_host"}, "Propose interview slots first."),
        ("proposed", {"outcome": "would_host"}, "Only a scheduled interview can have an outcome."),
        ("scheduled", {"outcome": "maybe"}, "Select a valid choice."),
        ("scheduled", {}, "This field is required."),
        ("scheduled", {"outcome": "would_host", "note": "n" * 4001}, "at most 4000 characters"),
    ],
)
def test_bad_outcomes_are_refused(as_manager, referral, manager, state, data, message):
    if state == "proposed":
        propose(referral, manager)
    elif state == "scheduled":
        schedule(referral, manager)

    response = as_manager.post(url("company_interview_outcome", referral.pk), data)

    assert response.status_code == 400
    assert message in text(response)
    assert not Interview.objects.filter(status=InterviewStatus.COMPLETED).exists()


# --- Ranking -------------------------------------------------------------------------------------------


@pytest.fixture
def ranked(referral, make_pool_application, refer, position):
    """Three open referrals of the position, and a declined one that is not shown."""
    more = [refer(make_pool_application(), position) for _ in range(2)]
    declined = refer(make_pool_application(), position)
    services.referral_decline(referral=declined, by=declined.application.applicant, reason="")
    return [referral, *more], declined


def ranks(referrals) -> list[int | None]:
    return [Referral.objects.get(pk=r.pk).company_rank for r in referrals]


def test_the_ranking_page_lists_the_open_referrals(as_manager, ranked, position):
    (a, b, c), declined = ranked
    html = page(as_manager.get(url("company_ranking", position.pk)))
    for referral in (a, b, c):
        assert f'name="rank_{referral.pk}"' in html
    assert f'name="rank_{declined.pk}"' not in html
    assert "1 = your first choice" in html
    assert "matching/company_ranking.js" in html


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ((2, 1, None), [2, 1, None]),
        ((5, 9, 7), [1, 3, 2]),  # only the order counts
        ((None, None, None), [None, None, None]),
        ((1, None, 999), [1, None, 2]),
    ],
)
def test_a_ranking_is_saved_in_order(as_manager, ranked, position, given, expected):
    referrals, _declined = ranked
    data = {f"rank_{r.pk}": "" if g is None else str(g) for r, g in zip(referrals, given, strict=True)}

    response = as_manager.post(url("company_ranking", position.pk), data)

    assert response.status_code == 302
    assert ranks(referrals) == expected
    assert "Your ranking for “Overseas sales assistant” is saved." in text(
        as_manager.get(response["Location"])
    )


@pytest.mark.parametrize(
    ("given", "message", "marked"),
    [
        (("1", "1", ""), "Rank 1 is given more than once.", [0, 1]),
        (("2", "1", "2"), "Rank 2 is given more than once.", [0, 2]),
        (("0", "", ""), "greater than or equal to 1", [0]),
        (("-3", "", ""), "greater than or equal to 1", [0]),
        (("x", "", ""), "Enter a whole number.", [0]),
        (("1.5", "", ""), "Enter a whole number.", [0]),
        (("1000", "", ""), "less than or equal to 999", [0]),
    ],
)
def test_a_bad_ranking_is_refused_beside_the_boxes(as_manager, ranked, position, given, message, marked):
    referrals, _declined = ranked
    data = {f"rank_{r.pk}": g for r, g in zip(referrals, given, strict=True)}

    response = as_manager.post(url("company_ranking", position.pk), data)

    assert response.status_code == 400
    marked_pks = [r.pk for i, r in enumerate(referrals) if i in marked]
    for referral in referrals:
        errors = field_errors(response, f"rank_{referral.pk}")
        if referral.pk in marked_pks:
            assert len(errors) == 1 and message in errors[0], errors
        else:
            assert errors == []
    assert ranks(referrals) == [None, None, None]


def test_unknown_boxes_are_ignored(as_manager, ranked, position):
    (a, b, c), declined = ranked
    response = as_manager.post(
        url("company_ranking", position.pk), {f"rank_{a.pk}": "1", f"rank_{declined.pk}": "2", "rank_x": "3"}
    )
    assert response.status_code == 302
    assert ranks([a, b, c, declined]) == [1, None, None, None]


def test_a_candidate_one_would_not_host_cannot_be_ranked(as_manager, ranked, position, manager):
    (a, b, c), _declined = ranked
    interview = schedule(b, manager)
    with time_machine.travel(interview.chosen_slot.starts_at + dt.timedelta(hours=1)):
        services.interview_outcome_record(interview=interview, outcome="would_not_host", note="", by=manager)

    html = page(as_manager.get(url("company_ranking", position.pk)))
    assert "You recorded that you would not host this candidate" in html

    response = as_manager.post(
        url("company_ranking", position.pk), {f"rank_{a.pk}": "1", f"rank_{b.pk}": "2", f"rank_{c.pk}": ""}
    )
    assert response.status_code == 400
    assert "A candidate you recorded as “would not host” or absent cannot be ranked." in text(response)
    assert ranks([a, b, c]) == [None, None, None]

    assert as_manager.post(url("company_ranking", position.pk), {f"rank_{a.pk}": "1"}).status_code == 302
    assert ranks([a, b, c]) == [1, None, None]


def test_another_company_s_position_cannot_be_ranked(as_manager, other_referral, other_position):
    assert as_manager.get(url("company_ranking", other_position.pk)).status_code == 404
    response = as_manager.post(url("company_ranking", other_position.pk), {f"rank_{other_referral.pk}": "1"})
    assert response.status_code == 404
    assert ranks([other_referral]) == [None]


# --- Matches -------------------------------------------------------------------------------------------


@pytest.fixture
def match(referral):
    return MatchFactory(
        application=referral.application, position=referral.position, referral=referral,
        applicant_decision="pending", company_decision="pending",
    )  # fmt: skip


def test_the_matches_page_lists_published_matches_of_the_company(as_manager, match, other_referral):
    MatchFactory(
        application=other_referral.application, position=other_referral.position, company_decision="pending"
    )
    unpublished = MatchFactory(
        round=MatchingRoundFactory(cycle=match.round.cycle, status="approved"),
        application=match.application, position=match.position,
    )  # fmt: skip

    response = as_manager.get(url("company_matches"))

    body = text(response)
    assert "Overseas sales assistant" in body and "Export clerk" not in body
    assert "NGUYEN Van An" in body
    assert body.count("NGUYEN Van An") == 1  # the approved round's match is not published
    assert "Waiting for an answer" in body
    assert url("company_match_answer", match.pk) + "?answer=accept" in page(response)
    assert url("company_match_answer", unpublished.pk) not in page(response)


def test_no_matches_yet(as_manager, referral):
    assert "No published matches yet." in text(as_manager.get(url("company_matches")))


def test_accepting_after_the_applicant_makes_the_placement(as_manager, match, manager):
    Match.objects.filter(pk=match.pk).update(applicant_decision=MatchDecision.ACCEPTED)
    confirm = as_manager.get(url("company_match_answer", match.pk), {"answer": "accept"})
    assert confirm.status_code == 200
    assert "Do you accept this candidate for the position?" in text(confirm)
    assert Match.objects.get(pk=match.pk).company_decision == MatchDecision.PENDING  # a GET changes nothing

    response = as_manager.post(url("company_match_answer", match.pk), {"answer": "accept"}, follow=True)

    match.refresh_from_db()
    assert (match.company_decision, match.company_decided_by) == (MatchDecision.ACCEPTED, manager)
    assert Placement.objects.filter(match=match).exists()
    body = text(response)
    assert "You accepted the match." in body and "Placement final" in body
    assert "?answer=accept" not in page(response)


def test_declining_a_match(as_manager, match):
    confirm = text(as_manager.get(url("company_match_answer", match.pk), {"answer": "decline"}))
    assert "Do you decline this match?" in confirm

    body = text(as_manager.post(url("company_match_answer", match.pk), {"answer": "decline"}, follow=True))

    match.refresh_from_db()
    assert match.company_decision == MatchDecision.DECLINED
    assert not Placement.objects.exists()
    assert "You declined the match." in body and "Not placed" in body


@pytest.mark.parametrize("answer", ["", "maybe", "ACCEPT"])
def test_a_bad_answer_changes_nothing(as_manager, match, answer):
    response = as_manager.post(url("company_match_answer", match.pk), {"answer": answer}, follow=True)
    assert "Choose to accept or to decline the match." in text(response)
    assert Match.objects.get(pk=match.pk).company_decision == MatchDecision.PENDING
    assert as_manager.get(url("company_match_answer", match.pk), {"answer": answer}).status_code == 302


def test_a_match_is_answered_once(as_manager, match):
    as_manager.post(url("company_match_answer", match.pk), {"answer": "accept"})
    body = text(as_manager.post(url("company_match_answer", match.pk), {"answer": "decline"}, follow=True))
    assert "Your company has answered already." in body
    assert Match.objects.get(pk=match.pk).company_decision == MatchDecision.ACCEPTED
    # The confirmation page is not offered any more either.
    later = as_manager.get(url("company_match_answer", match.pk), {"answer": "decline"}, follow=True)
    assert "This match cannot be answered any more." in text(later)


def test_a_match_the_applicant_declined_cannot_be_accepted(as_manager, match):
    Match.objects.filter(pk=match.pk).update(applicant_decision=MatchDecision.DECLINED)
    body = text(as_manager.post(url("company_match_answer", match.pk), {"answer": "accept"}, follow=True))
    assert "The applicant has declined this match." in body
    assert Match.objects.get(pk=match.pk).company_decision == MatchDecision.PENDING


# --- Queries: the same number for one candidate and for many ------------------------------------------


@pytest.fixture
def sizes(referral, make_pool_application, refer, position, manager):
    """Grows the company's candidates: first the fixture's one (scored, scheduled), then six more."""
    services.candidate_score(
        referral=referral, scores={"skills": 4, "language": 3, "motivation": 5, "fit": 2}, note="", by=manager
    )
    schedule(referral, manager)

    def more():
        grow(make_pool_application, refer, position, manager, 6)

    return more


@pytest.mark.parametrize(("query", "queries"), [({}, 7), ({"status": "referred", "sort": "name"}, 7)])
def test_the_list_uses_a_fixed_number_of_queries(
    as_manager, sizes, django_assert_num_queries, query, queries
):
    as_manager.get(url("company_candidates"), query)  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(queries):
        assert as_manager.get(url("company_candidates"), query).status_code == 200
    sizes()
    with django_assert_num_queries(queries):
        response = as_manager.get(url("company_candidates"), query)
    assert text(response).count("Scheduled") == 2 * 7


def test_the_candidate_page_uses_a_fixed_number_of_queries(
    as_manager, referral, manager, sizes, django_assert_num_queries
):
    as_manager.get(
        url("company_candidate", referral.pk)
    )  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(7):
        assert as_manager.get(url("company_candidate", referral.pk)).status_code == 200
    sizes()
    propose(referral, manager, days=(2, 3, 4, 5, 6))
    with django_assert_num_queries(7):
        response = as_manager.get(url("company_candidate", referral.pk))
    assert text(response).count("JST · 30 min") == 5


def test_the_ranking_page_uses_a_fixed_number_of_queries(
    as_manager, position, sizes, django_assert_num_queries
):
    as_manager.get(
        url("company_ranking", position.pk)
    )  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(7):
        assert as_manager.get(url("company_ranking", position.pk)).status_code == 200
    sizes()
    with django_assert_num_queries(7):
        response = as_manager.get(url("company_ranking", position.pk))
    assert page(response).count('class="form-control rank-input') == 7


def test_the_matches_page_uses_a_fixed_number_of_queries(
    as_manager, match, make_pool_application, position, django_assert_num_queries
):
    as_manager.get(url("company_matches"))  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(5):
        assert as_manager.get(url("company_matches")).status_code == 200
    for _ in range(6):
        MatchFactory(application=make_pool_application(), position=position, company_decision="pending")
    placement_match = MatchFactory(application=make_pool_application(), position=position)
    placement_for(placement_match)
    with django_assert_num_queries(5):
        response = as_manager.get(url("company_matches"))
    assert text(response).count("Placement final") == 1
    assert page(response).count("?answer=accept") == 7


def test_the_staff_user_who_manages_nothing_gets_403(client, staff, referral):
    client.force_login(staff)
    assert client.get(url("company_candidates")).status_code == 403


def test_a_new_user_without_a_company_gets_403(client, referral):
    client.force_login(UserFactory())
    assert client.get(url("company_candidate", referral.pk)).status_code == 403
