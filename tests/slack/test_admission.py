"""The cap on requests in flight: a few per person, a few dozen in all, places given back."""

from __future__ import annotations

from bot.slack.admission import Admission, Busy, Ticket


def test_a_person_gets_three_places_and_the_fourth_request_is_busy() -> None:
    admission = Admission(per_person=3, total=20)
    tickets = [admission.admit("T1", "U1") for _ in range(3)]
    assert all(isinstance(ticket, Ticket) for ticket in tickets)
    assert admission.admit("T1", "U1") is Busy.PERSON
    assert isinstance(admission.admit("T1", "U2"), Ticket)
    assert isinstance(admission.admit("T2", "U1"), Ticket)  # another workspace's U1


def test_everyone_together_gets_twenty_places() -> None:
    admission = Admission(per_person=3, total=20)
    held = [admission.admit("T1", f"U{i}") for i in range(20)]
    assert all(isinstance(ticket, Ticket) for ticket in held)
    assert admission.admit("T1", "U99") is Busy.ALL
    assert admission.in_flight() == 20


def test_a_released_place_is_free_again_and_releasing_twice_frees_one() -> None:
    admission = Admission(per_person=1, total=2)
    first = admission.admit("T1", "U1")
    assert isinstance(first, Ticket)
    assert admission.admit("T1", "U1") is Busy.PERSON
    first.release()
    first.release()
    assert admission.in_flight() == 0
    assert admission.in_flight("T1", "U1") == 0
    again = admission.admit("T1", "U1")
    assert isinstance(again, Ticket)
    assert isinstance(admission.admit("T1", "U2"), Ticket)
    assert admission.admit("T1", "U3") is Busy.ALL
