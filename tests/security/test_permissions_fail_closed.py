"""Ownership checks fail closed when either side is empty: an account with no id,
a person with no account, a clinician linked to nobody, a patient with no
clinician. Two missing ids are never "the same owner"."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from walkwell.web.program import permissions
from walkwell.web.program.models import Person


def test_an_account_without_an_id_owns_no_person_without_an_account(
    alice: Person,
) -> None:
    nobody = User(username="unsaved")  # authenticated as an object, never stored
    orphan = Person(protocol_id=alice.protocol_id, start=alice.start)
    empty: tuple[object, object] = (nobody.pk, orphan.user_id)
    assert empty == (None, None)  # both sides empty
    assert not permissions.can_view(nobody, orphan)
    assert not permissions.can_act(nobody, orphan)
    assert not permissions.can_view(nobody, alice)
    assert not permissions.persons_visible_to(nobody).exists()
    assert not permissions.patients_of(nobody).exists()


def test_a_clinician_linked_to_nobody_sees_nobody(
    alice: Person, bob: Person, mallory: User
) -> None:
    assert not permissions.patients_of(mallory).exists()
    assert not permissions.persons_visible_to(mallory).exists()
    for person in (alice, bob):
        assert not permissions.can_view(mallory, person)
        assert not permissions.can_act(mallory, person)


def test_a_patient_with_no_clinician_is_seen_by_no_clinician(
    bob: Person, carol: User, mallory: User, ada: User
) -> None:
    assert not bob.clinician_links.exists()
    for user in (carol, mallory, ada):
        assert not permissions.can_view(user, bob)
        assert not permissions.can_act(user, bob)
    assert permissions.can_view(bob.user, bob)
    assert not permissions.can_act(bob.user, bob)  # acting is a clinician's


def test_a_person_not_yet_stored_is_seen_by_nobody(
    alice: Person, carol: User, ada: User
) -> None:
    unsaved = Person(protocol_id=alice.protocol_id, start=alice.start)
    for user in (alice.user, carol, ada, AnonymousUser()):
        assert not permissions.can_view(user, unsaved)
        assert not permissions.can_act(user, unsaved)
