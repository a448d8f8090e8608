"""The role-noun matcher that attribution and coref share (made-up words and stems)."""

from __future__ import annotations

from kilde.lexicon import Lexicon
from kilde.roles import RoleNouns

ROLES = RoleNouns(frozenset({"sjef", "lege", "departement"}), Lexicon.load("nn").definite_suffixes)


def test_a_compound_ends_in_its_role_bare_or_inflected() -> None:
    assert ROLES.stem_of("up-sjefen") == "up-sjef"
    assert ROLES.stem_of("legen") == "lege"
    assert ROLES.matches("forsvarsdepartementet")
    assert ROLES.matches("sjef")


def test_other_words_are_no_roles() -> None:
    assert ROLES.stem_of("fiskeren") is None
    assert not ROLES.matches("sjøen")


def test_inflected_forms_of_one_noun() -> None:
    assert ROLES.inflects("legen", "lege")
    assert ROLES.inflects("sjefen", "sjef") and ROLES.inflects("sjef", "sjef")
    assert not ROLES.inflects("sjefen", "lege")


def test_any_ending_for_the_rules_recall() -> None:
    loose = RoleNouns(frozenset({"sjef"}), (), any_ending=3)
    assert loose.matches("sjefs") and loose.matches("sjefane") and loose.matches("sjefen")
    assert not loose.matches("sjefinne")  # four letters after the stem
    assert not RoleNouns(frozenset({"sjef"}), ()).matches("sjefs")
