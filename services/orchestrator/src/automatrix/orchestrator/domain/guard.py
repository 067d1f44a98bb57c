"""The semantic-cache guard: what two queries must share before one may answer the other.

Embeddings put "Is Python fast?" and "Is Python not fast?" side by side, and "top 5" next
to "top 10". A semantic cache hit therefore also needs equal guard signatures, built from
the cheap tokens that flip meaning:

- negations, counted (not parity: "not not" is rare, and a count is easier to reason
  about): not, no, never, nor, none, nothing, neither, nobody, nowhere, cannot, without,
  except, exclude(s/d/ing), every "n't" contraction and its apostrophe-less spelling;
- numbers, as a sorted multiset: digits with thousands separators, decimals, signs,
  percentages ("5%" == "five percent"), digit ordinals ("3rd"), number words (zero to
  nineteen, tens, hundred, thousand, million, billion, composed as in "two hundred and
  five"), ordinals first to tenth, and "minus"/"negative" before a number.

Everything else (case, punctuation, order of ordinary words) is left out, so paraphrases
keep one signature. Where a rule is unsure it keeps tokens apart ("3.10" != "3.1",
"one" as a pronoun still counts): a wrong split costs a cache miss, a wrong merge a
wrong answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_NEGATION_WORDS = frozenset(
    {
        "not",
        "no",
        "never",
        "nor",
        "none",
        "nothing",
        "neither",
        "nobody",
        "nowhere",
        "cannot",
        "without",
        "except",
        "exclude",
        "excludes",
        "excluded",
        "excluding",
    }
)
# Contractions typed without the apostrophe; "cant" and "wont" are also rare nouns,
# and counting those as negations only costs a miss.
_BARE_CONTRACTIONS = frozenset(
    {
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "cant",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "wont",
        "hasnt",
        "havent",
        "hadnt",
        "mustnt",
        "neednt",
        "aint",
    }
)

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_HUNDRED = "hundred"
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_PERCENT_WORDS = frozenset({"percent", "pct"})
_SIGN_WORDS = frozenset({"minus", "negative"})


_TOKEN = re.compile(
    r"(?P<sign>(?<![\w.])[-+\u2212])?"
    r"(?:(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(?P<frac>\d+))?|(?<![\w.])\.(?P<bare>\d+))"
    r"(?:(?:st|nd|rd|th)(?![^\W\d_]))?"
    r"(?P<pct>\s*%)?"
    r"|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)"
)


@dataclass(slots=True)
class _Number:
    """One number of the query; ``text`` is its canonical spelling, sign included."""

    text: str
    value: Decimal
    percent: bool = False
    from_digits: bool = False

    def negated(self) -> _Number:
        """The same number with the opposite sign; zero stays unsigned."""
        if self.value == 0:
            return self
        text = self.text[1:] if self.text.startswith("-") else "-" + self.text
        return _Number(text, -self.value, self.percent, self.from_digits)

    def signature(self) -> str:
        """Spelling used in the signature."""
        return self.text + ("%" if self.percent else "")


_Item = _Number | str


def guard_signature(text: str) -> str:
    """Canonical string of the negations and numbers in ``text``; equal only for equal sets."""
    items = _compose_number_words(_lex(text))
    negations = 0
    numbers: list[_Number] = []
    for index, item in enumerate(items):
        previous = items[index - 1] if index else None
        if isinstance(item, _Number):
            signed = isinstance(previous, str) and previous in _SIGN_WORDS
            numbers.append(item.negated() if signed else item)
        elif item in _PERCENT_WORDS and isinstance(previous, _Number):
            numbers[-1].percent = True
        elif item in _NEGATION_WORDS or item in _BARE_CONTRACTIONS or item.endswith("n't"):
            negations += 1
    spelled = ",".join(sorted(number.signature() for number in numbers))
    return f"neg={negations};num={spelled}"


def _lex(text: str) -> list[_Item]:
    items: list[_Item] = []
    for match in _TOKEN.finditer(text.lower().replace("\u2019", "'")):
        word = match.group("word")
        if word is not None:
            items.append(word)
            continue
        integer = (match.group("int") or "").replace(",", "").lstrip("0") or "0"
        fraction = match.group("frac") or match.group("bare")
        # The fraction is kept as written: "3.10" and "3.1" are different versions.
        spelled = f"{integer}.{fraction}" if fraction else integer
        number = _Number(spelled, Decimal(spelled), match.group("pct") is not None, True)
        items.append(number.negated() if match.group("sign") in ("-", "\u2212") else number)
    return items


class _Run:
    """A run of number words being composed, e.g. "two hundred and five"."""

    def __init__(self, seed: Decimal = Decimal(0)) -> None:
        self.total = Decimal(0)
        self.current = seed
        self.last = "start" if seed == 0 else "unit"
        self.last_scale: int | None = None
        self.held_and = False

    def accepts(self, word: str) -> bool:
        """Whether ``word`` continues this number rather than starting another."""
        if word == "and":
            return self.last in ("hundred", "scale") and not self.held_and
        if word in _UNITS or (word in _ORDINALS and _ORDINALS[word] < 10):
            return self.last in ("start", "tens", "hundred", "scale")
        if word in _TEENS or word in _TENS or word in _ORDINALS:
            return self.last in ("start", "hundred", "scale")
        if word == _HUNDRED:
            return self.last in ("start", "unit", "teen", "tens") and self.current < 100
        scale = _SCALES[word]
        return self.last_scale is None or scale < self.last_scale

    def add(self, word: str) -> None:
        """Fold ``word`` (already accepted) into the number."""
        if word == "and":
            self.held_and = True
            return
        self.held_and = False
        if word == _HUNDRED:
            self.current = (self.current or Decimal(1)) * 100
            self.last = "hundred"
        elif word in _SCALES:
            self.last_scale = _SCALES[word]
            self.total += (self.current or Decimal(1)) * self.last_scale
            self.current = Decimal(0)
            self.last = "scale"
        else:
            value = _small_value(word)
            self.current += value if value is not None else 0
            self.last = "tens" if word in _TENS else "teen" if value and value >= 10 else "unit"

    def result(self) -> _Number:
        """The composed number."""
        value = self.total + self.current
        return _Number(_canonical(value), value)


def _compose_number_words(items: list[_Item]) -> list[_Item]:
    composed: list[_Item] = []
    run: _Run | None = None

    def close() -> None:
        nonlocal run
        if run is not None:
            composed.append(run.result())
            if run.held_and:
                composed.append("and")
        run = None

    for item in items:
        if isinstance(item, _Number) or not (_is_number_word(item) or item == "and"):
            close()
            composed.append(item)
            continue
        if run is not None and not run.accepts(item):
            close()
        if run is None and item == "and":
            composed.append(item)
            continue
        if run is None:
            run = _Run(_seed_for(item, composed))
        run.add(item)
        if item in _ORDINALS:
            # An ordinal ends its number: "twenty first", then a new one may start.
            close()
    close()
    return composed


def _seed_for(word: str, composed: list[_Item]) -> Decimal:
    # "5 million" and "1.5 thousand" scale the digits just before them.
    if word != _HUNDRED and word not in _SCALES:
        return Decimal(0)
    previous = composed[-1] if composed else None
    if isinstance(previous, _Number) and previous.from_digits and not previous.percent:
        composed.pop()
        return previous.value
    return Decimal(0)


def _is_number_word(word: str) -> bool:
    return _small_value(word) is not None or word == _HUNDRED or word in _SCALES


def _small_value(word: str) -> int | None:
    for table in (_UNITS, _TEENS, _TENS, _ORDINALS):
        if word in table:
            return table[word]
    return None


def _canonical(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")
