"""The semantic-cache guard: negations and numbers keep near-identical queries apart."""

from __future__ import annotations

import pytest

from automatrix.orchestrator.domain.guard import guard_signature


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("What are the top 5 Python web frameworks?", "top 5 web frameworks for python"),
        ("Is Python fast?", "python: is it FAST"),
        ("Why doesn't my code compile?", "My code doesn't compile, why?"),
        ("List 3 uses of graphene and 10 of carbon", "Ten carbon uses and three graphene uses"),
        ("Explain recursion without jargon", "Without any jargon, explain recursion!"),
        ("Give me five ideas", "Give me 5 ideas"),
        ("A budget of 1,000 dollars", "a budget of 1000 dollars"),
        ("one thousand users", "1,000 users"),
        ("two hundred and five pages", "205 pages"),
        ("twenty-one pilots", "21 pilots"),
        ("the 3rd item", "the third item"),
        ("5 million rows", "5,000,000 rows"),
        ("a 5% discount", "a five percent discount"),
        ("minus five degrees", "-5 degrees"),
        ("I don\u2019t know", "i don't know"),
        ("I dont know", "I don't know"),
    ],
)
def test_paraphrases_share_a_signature(first: str, second: str) -> None:
    assert guard_signature(first) == guard_signature(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Is Python fast?", "Is Python not fast?"),
        ("Why do cats purr?", "Why don't cats purr?"),
        ("Is this safe?", "Isn't this safe?"),
        ("I can swim", "I cannot swim"),
        ("I can swim", "I can't swim"),
        ("It will work", "It won't work"),
        ("A cake with sugar", "A cake without sugar"),
        ("Everything went well", "Nothing went well"),
        ("All flights", "All flights except Monday's"),
        ("Has it ever happened?", "Has it never happened?"),
        ("Is the result 'yes'?", "Is the result no?"),
        ("Neither fast", "fast"),
        ("not cheap", "not not cheap"),
    ],
)
def test_a_negation_changes_the_signature(first: str, second: str) -> None:
    assert guard_signature(first) != guard_signature(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("top 5 movies", "top 10 movies"),
        ("top five movies", "top 6 movies"),
        ("5 degrees", "-5 degrees"),
        ("5 degrees", "minus 5 degrees"),
        ("5%", "5"),
        ("1000 users", "100 users"),
        ("Python 3.10", "Python 3.1"),
        ("0.5 litres", "5 litres"),
        ("5 and 10", "5 and 5"),
        ("the first chapter", "the second chapter"),
        ("one hundred and five", "one hundred and fifty"),
        ("twenty one", "twenty"),
        ("GPT-4 vs GPT-5", "GPT-4 vs GPT-4"),
        ("gpt4", "gpt5"),
        ("Events from 1990s", "Events from 1980s"),
        ("5 thousand", "5 million"),
        ("two numbers", "three numbers"),
    ],
)
def test_a_number_changes_the_signature(first: str, second: str) -> None:
    assert guard_signature(first) != guard_signature(second)


def test_numbers_are_a_multiset_in_any_order() -> None:
    assert guard_signature("from 3 to 7") == guard_signature("to seven from three")
    assert guard_signature("3 and 3") != guard_signature("3")


def test_negations_are_counted_not_reduced_to_parity() -> None:
    assert guard_signature("not not") != guard_signature("")
    assert guard_signature("no, never") == guard_signature("never no")


def test_signature_of_plain_text_is_empty_but_well_formed() -> None:
    assert guard_signature("Hello, world!") == guard_signature("") == "neg=0;num="


def test_signature_spells_numbers_canonically() -> None:
    signature = guard_signature("Top 10 of 1,000 with 2 negatives: none, not one")
    assert signature == "neg=2;num=1,10,1000,2"
