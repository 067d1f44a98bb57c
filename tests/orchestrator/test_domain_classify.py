"""The heuristic query classifier: capability, tier, requirements and confidence."""

from __future__ import annotations

import pytest

from automatrix.orchestrator.domain.classify import (
    CAPABILITIES,
    MAX_CLASSIFY_CHARS,
    MIN_PROFICIENCY,
    classify_text,
    text_for_classification,
)
from automatrix.shared.contracts import ChatMessage, Tier

QUERIES = [
    ("chat", "Hi there!"),
    ("chat", "Hello, how are you today?"),
    ("chat", "Thanks, that was really helpful"),
    ("chat", "Tell me a joke about cats"),
    ("chat", "Write me a short poem about autumn leaves"),
    ("chat", "Can you recommend a good sci-fi novel?"),
    ("chat", "What's the weather like on Mars?"),
    ("code", "Write a Python function that reverses a linked list"),
    ("code", "Why does this throw?\n```python\ndef f(x):\n    return x[0]\nf([])\n```"),
    ("code", "Traceback (most recent call last):\n  File \"app.py\", line 3\nKeyError: 'user'"),
    ("code", "SELECT name, COUNT(*) FROM orders GROUP BY name is slow, how do I index it?"),
    ("code", "How do I center a div with CSS?"),
    ("code", "Refactor this JavaScript to use async/await: fetch(url).then(r => r.json())"),
    ("code", "My Rust program fails to compile with a borrow checker error"),
    ("math", "Solve 3x + 5 = 20"),
    ("math", "What is the integral of x^2 from 0 to 3?"),
    ("math", "Find the derivative of sin(x) * e^x"),
    ("math", "What is 17 * 23?"),
    ("math", "What is the probability of rolling two sixes with two dice?"),
    ("math", "Prove that there are infinitely many prime numbers"),
    ("math", "Compute the eigenvalues of the matrix [[2, 1], [1, 2]]"),
    ("reasoning", "Why is the sky blue?"),
    ("reasoning", "Compare microservices and monoliths: what are the trade-offs?"),
    ("reasoning", "If all bloops are razzies and all razzies are lazzies, are all bloops lazzies?"),
    ("reasoning", "Explain step by step how a bill becomes a law in the US"),
    ("reasoning", "What would happen if the moon disappeared?"),
    ("reasoning", "Should I rent or buy a house? Walk me through the pros and cons."),
    ("summarization", "Summarize this article in three bullet points: The council met on Tuesday."),
    ("summarization", "TL;DR of the following: sleep deprivation impairs memory consolidation."),
    ("summarization", "What are the key takeaways? Alice: we ship Friday. Bob: QA is behind."),
    ("summarization", "Can you condense this paragraph? The product launch was delayed because..."),
    ("translation", "Translate 'good morning, how are you?' into French"),
    ("translation", "How do you say 'thank you very much' in Japanese?"),
    ("translation", "What does \u8c22\u8c22 mean?"),
    ("translation", "\u00bfD\u00f3nde est\u00e1 la biblioteca? in English please"),
    ("translation", "Put this sentence into German: the train leaves at noon"),
    ("extraction", "Extract all the dates and names from this email: Hi Bob, see Sarah on March 3"),
    ("extraction", "List all the email addresses in this text: alice@example.com, bob@corp.io"),
    ("extraction", "Pull out the invoice number, total and due date as JSON: INV-2231, $450"),
    ("extraction", "Find all company names in this paragraph: Apple and Microsoft partnered"),
    ("extraction", "Parse this address into street, city and zip fields: 12 Main St, Springfield"),
]


@pytest.mark.parametrize(("expected", "query"), QUERIES)
def test_capability_of_realistic_queries(expected: str, query: str) -> None:
    assert classify_text(query).capability == expected


def test_table_covers_every_capability_at_least_three_times() -> None:
    for capability in CAPABILITIES:
        assert sum(expected == capability for expected, _ in QUERIES) >= 3


@pytest.mark.parametrize(("expected", "query"), QUERIES)
def test_requirements_start_with_the_primary_at_the_tier_minimum(expected: str, query: str) -> None:
    result = classify_text(query)
    primary = result.required_capabilities[0]
    assert (primary.name, primary.min_proficiency) == (expected, MIN_PROFICIENCY[result.tier])
    assert 0.0 <= result.confidence <= 1.0
    assert result.decided_by == "heuristic"
    assert result.model_version is None
    assert tuple(result.scores) == CAPABILITIES
    assert max(result.scores.values()) == result.scores[expected]


@pytest.mark.parametrize(
    ("query", "tier"),
    [
        ("Hi!", Tier.FAST),
        ("Translate 'cat' into Spanish", Tier.FAST),
        ("What is 17 * 23?", Tier.FAST),
        ("Explain step by step how TCP slow start works", Tier.MEDIUM),
        ("Summarize this report: " + "Revenue grew while costs stayed flat. " * 50, Tier.MEDIUM),
        ("Prove step by step that the square root of 2 is irrational.", Tier.HEAVY),
        ("Prove that every bounded monotone sequence converges.", Tier.HEAVY),
        (
            "Design a distributed rate limiter. Compare the trade-offs of token bucket "
            "and sliding window, and explain step by step how to make it scalable.",
            Tier.HEAVY,
        ),
        (
            "Refactor this:\n```python\n"
            + "\n".join(f"total_{i} = compute({i})" for i in range(80))
            + "\n```",
            Tier.HEAVY,
        ),
    ],
)
def test_tier_follows_length_and_complexity(query: str, tier: Tier) -> None:
    assert classify_text(query).tier is tier


def test_multi_part_question_is_not_fast() -> None:
    single = classify_text("What is Docker?")
    multi = classify_text("1. What is Docker?\n2. What is Kubernetes?\n3. How do they differ?")
    assert single.tier is Tier.FAST
    assert multi.tier is not Tier.FAST


def test_secondary_capability_is_required_at_a_lower_minimum() -> None:
    result = classify_text(
        "Write a Python function that computes the integral of a polynomial; "
        "solve x^2 - 4 = 0 with it"
    )
    names = [requirement.name for requirement in result.required_capabilities]
    assert set(names) == {"code", "math"}
    primary, secondary = result.required_capabilities
    assert secondary.min_proficiency < primary.min_proficiency


def test_chat_is_never_a_secondary_requirement() -> None:
    result = classify_text("Hello! Thanks for your help. Can you fix this bug in my Python script?")
    assert "chat" not in [r.name for r in result.required_capabilities[1:]]


def test_chat_is_the_fallback_when_nothing_scores() -> None:
    result = classify_text("hmm")
    assert result.capability == "chat"
    assert [r.name for r in result.required_capabilities] == ["chat"]
    assert classify_text("").capability == "chat"


def test_clear_cases_are_more_confident_than_ambiguous_ones() -> None:
    clear = [
        "Translate 'good night' into Italian",
        "Summarize the key points of this report",
        "```python\nimport os\nprint(os.getcwd())\n``` why does this print the wrong dir?",
    ]
    ambiguous = ["Explain this code", "hmm", "I need a summary and translation of this"]
    lowest_clear = min(classify_text(query).confidence for query in clear)
    highest_ambiguous = max(classify_text(query).confidence for query in ambiguous)
    assert lowest_clear > highest_ambiguous
    assert classify_text("Explain this code").confidence == 0.0


def test_classification_is_deterministic_and_explains_itself() -> None:
    query = "Prove step by step that 2^n > n for every n"
    assert classify_text(query) == classify_text(query)
    evidence = classify_text(query).evidence
    assert "math:proof" in evidence
    assert "tier:proof+3" in evidence


def test_an_entirely_foreign_script_is_not_a_translation_request() -> None:
    assert (
        classify_text("\u4f60\u597d\uff0c\u4f60\u4eca\u5929\u600e\u4e48\u6837\uff1f").capability
        == "chat"
    )


def test_text_for_classification_uses_the_last_user_message_and_the_system_head() -> None:
    messages = [
        ChatMessage(role="system", content="You are a translator. " + "x" * 1000),
        ChatMessage(role="user", content="Tell me a joke"),
        ChatMessage(role="assistant", content="Why did the chicken cross the road?"),
        ChatMessage(role="user", content="  Now say it in French  "),
    ]
    text = text_for_classification(messages)
    assert text.startswith("Now say it in French")
    assert "You are a translator." in text
    assert "joke" not in text
    assert "chicken" not in text
    assert len(text) < 400


def test_text_for_classification_is_bounded_and_keeps_head_and_tail() -> None:
    long = "Summarize this: " + "word " * 5000 + "What is the gist?"
    text = text_for_classification([ChatMessage(role="user", content=long)])
    assert len(text) <= MAX_CLASSIFY_CHARS
    assert text.startswith("Summarize this:")
    assert text.endswith("What is the gist?")


def test_text_for_classification_without_user_message() -> None:
    assert text_for_classification([]) == ""
    assert text_for_classification([ChatMessage(role="system", content="Be brief.")]) == "Be brief."
