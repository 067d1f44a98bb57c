"""The transparent heuristic query classifier, used while no trained classifier is loaded.

Rules, in order:

1. Score. Every capability has weighted cue families (keywords and phrases, regexes for
   code fences, definitions, stack traces, SQL, equations, LaTeX, language names, mixed
   scripts...). A cue adds its weight once when it matches anywhere; the score of a
   capability is the sum of its matched cues. ``chat`` also starts at a small prior, so it
   wins when nothing else scores.
2. Pick. The highest score is the capability; ties go to the more specific capability
   (``_TIE_ORDER``, chat last). Confidence is ``1 - exp(-margin / 2)`` over the margin
   between the top two scores: 0 for a tie, ~0.6 for one strong cue ahead, ~0.95 for six
   points ahead.
3. Tier. Complexity points: length (400 / 1,500 / 5,000 characters give 1 / 2 / 3),
   multi-part questions (two question marks or three enumerated items), "step by step"
   and kin, design work, trade-offs, many constraints, and long code (15 / 60 fenced lines
   give 1 / 2). A proof request alone gives 3. 0 points is fast, 1-2 medium, 3+ heavy.
4. Requirements. The capability at a tier-dependent minimum proficiency (fast 0.3,
   medium 0.5, heavy 0.7), then up to two other non-chat capabilities that score at
   least 2 and half the top score, at 0.2 less.

Everything is deterministic; ``evidence`` names each cue and complexity point that fired.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from automatrix.shared.contracts import CapabilityRequirement, ChatMessage, Role, Tier

CAPABILITIES = ("chat", "code", "math", "reasoning", "summarization", "translation", "extraction")

HEURISTIC = "heuristic"
"""``decided_by`` of this classifier; a model-backed one says ``model``."""

CHAT_PRIOR = 0.5
MIN_PROFICIENCY = {Tier.FAST: 0.3, Tier.MEDIUM: 0.5, Tier.HEAVY: 0.7}
SECONDARY_DISCOUNT = 0.2
SECONDARY_MIN_SCORE = 2.0
MAX_SECONDARY = 2
CONFIDENCE_SCALE = 2.0

MAX_CLASSIFY_CHARS = 8_000
CONTEXT_CHARS = 300

# Ties go to the capability whose cues are the most specific evidence.
_TIE_ORDER = ("code", "math", "translation", "extraction", "summarization", "reasoning", "chat")

_LANGUAGES = (
    "english|french|spanish|german|italian|portuguese|dutch|swedish|norwegian|danish|finnish"
    "|polish|czech|russian|ukrainian|greek|turkish|arabic|hebrew|persian|farsi|hindi|urdu"
    "|bengali|chinese|mandarin|cantonese|japanese|korean|vietnamese|thai|indonesian|malay"
    "|swahili|latin|romanian|hungarian"
)
_NON_LATIN_LETTERS = (
    "\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0900-\u097f"
    "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
)
# Accented Latin letters and Spanish inverted marks; two of them hint at a foreign phrase.
_LATIN_MARKS = "\u00bf\u00a1\u00e0-\u00f6\u00f8-\u00ff"
_IGNORE_CASE = re.IGNORECASE | re.MULTILINE


@dataclass(frozen=True, slots=True)
class Cue:
    """One piece of evidence for a capability: a pattern and the weight it adds when found."""

    capability: str
    label: str
    weight: float
    pattern: re.Pattern[str]


# Patterns are case-insensitive and multi-line; (?-i:...) and (?s) mark the exceptions.
# fmt: off
_CUE_TABLE: tuple[tuple[str, str, float, str], ...] = (
    ("code", "fence", 3.0, r"```"),
    ("code", "definition", 2.5,
        r"\b(?:def|function|func|fn)\s+\w+\s*\(|\bclass\s+(?-i:[A-Z])\w*\s*[:({]"
        r"|^\s*(?:import\s+[\w.]+|from\s+[\w.]+\s+import\b|#include\s*<|using\s+namespace\b)"),
    ("code", "stack-trace", 2.5,
        r"(?-i:Traceback \(most recent call last\)|\b[A-Z]\w*(?:Error|Exception)\b)"
        r"|\bat\s+[\w.$]+\([\w.]+:\d+\)|\bsegmentation fault\b|\bcore dumped\b"),
    ("code", "sql", 2.5,
        r"(?-i:\b(?:SELECT\s.{1,300}?\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|CREATE\s+(?:TABLE|INDEX"
        r"|VIEW)|DELETE\s+FROM|(?:INNER|LEFT|RIGHT|OUTER)\s+JOIN|GROUP\s+BY|ORDER\s+BY)\b)"),
    ("code", "task", 2.0,
        r"\bwrite (?:me )?(?:a|an|the) (?:\w+ )?(?:program|function|script|class|method|query"
        r"|regex|unit tests?|test|api|endpoint)\b|\bfix (?:this|my|the) (?:code|bug|error|test)"),
    ("code", "syntax", 1.5, r"\w\(\)|=>|::|!=|==|\+\+|&&|\|\||[;{}]\s*$|\b\w+\.\w+\("),
    ("code", "language", 1.5,
        r"\b(?:python|javascript|typescript|java|kotlin|rust|golang|ruby|php|swift|scala"
        r"|haskell|bash|powershell|sql|html|css|react|django|flask|fastapi|node\.?js|numpy"
        r"|pandas|docker|kubernetes|terraform|git|regex)\b|\bc\+\+|\bc#"),
    ("code", "term", 1.5,
        r"\b(?:code|coding|programming|debug\w*|refactor\w*|compil(?:e|er|ing)|snippet"
        r"|codebase|script|syntax|bug|unit tests?|api|endpoint|runtime|stack trace)\b"),
    ("code", "construct", 1.0,
        r"\b(?:function|method|class|variable|algorithm|implement\w*|loop|array|recursion"
        r"|library|parser|linked list|hash ?map)\b"),
    ("math", "notation", 2.5,
        r"\\(?:frac|int|sum|sqrt|lim|prod|partial|infty|cdot)\b"
        "|[\u222b\u2211\u220f\u221a\u221e\u2264\u2265\u2260\u00b1\u00f7\u00d7\u03c0\u2202]"),
    ("math", "arithmetic", 2.0, r"\d\s*[+*^\u00d7\u00f7]\s*\(?-?\d|\d\s+[-/]\s+\(?-?\d"),
    ("math", "algebra", 2.0,
        r"\b\d*[xyzn]\s*\^\s*\d|\b\d+[xyz]\s*[-+=]|\b[a-z]\s*=\s*-?\d|\bf\s*\(\s*[a-z]\s*\)"
        r"|\b[xyz]\s*[-+*/=<>]\s*\d"),
    ("math", "topic", 2.5,
        r"\b(?:solve|equations?|integra(?:l|ls|te|tion)|derivatives?|differentiat\w*|theorem"
        r"|lemma|eigen\w*|polynomials?|quadratic|logarithms?|calculus|algebra\w*|matri(?:x|ces)"
        r"|determinant|primes?|prime numbers?|factorials?|modulo|square roots?|gcd|lcm"
        r"|trigonometr\w*|hypotenuse|converge\w*|probability)\b"),
    ("math", "quantity", 1.5,
        r"\b(?:calculate|compute|how (?:much|many)|sum of|product of|average|mean of|median"
        r"|variance|standard deviation|ratio|percentage|number of ways|area of|volume of"
        r"|perimeter)\b"),
    ("math", "proof", 2.0, r"\bprove\b|\bproof\b|\bshow that\b"),
    ("reasoning", "stepwise", 2.0,
        r"\bstep[- ]by[- ]step\b|\bwalk me through\b|\bthink (?:it )?through\b|\breason about\b"),
    ("reasoning", "why", 1.5, r"\bwhy\b|\bhow come\b"),
    ("reasoning", "explain", 1.5, r"\bexplain\w*\b|\bexplanation\b"),
    ("reasoning", "compare", 1.5,
        r"\bcompar(?:e|ed|ing|ison)\b|\bversus\b|\bvs\.?(?!\w)|\bdiffer(?:s|ences?)?\b"
        r"|\bbetter than\b|\bwhich is better\b"),
    ("reasoning", "trade-off", 2.0,
        r"\btrade-?offs?\b|\bpros and cons\b|\badvantages and disadvantages\b"),
    ("reasoning", "analysis", 1.5,
        r"\banaly[sz]e\b|\banalysis\b|\bevaluate\b|\bassess\b|\bjustify\b|\bcritique\b"
        r"|\breasoning\b|\blogic(?:al)?\b|\binfer\b|\bdeduce\b|\bimplications?\b"),
    ("reasoning", "puzzle", 2.0,
        r"\bif all\b|\ball \w+ are\b|\briddle\b|\bpuzzle\b|\bparadox\b|\bwho is lying\b"),
    ("reasoning", "hypothetical", 1.0,
        r"\bwhat (?:would|will) happen\b|\bwhat if\b|\bconsequences?\b|\bshould (?:i|we)\b"),
    ("reasoning", "proof", 1.0, r"\bprove\b|\bproof\b"),
    ("summarization", "summarize", 3.0,
        r"\bsummar(?:y|ies|i[sz]e[sd]?|i[sz]ing|i[sz]ation)\b|\btl;?dr\b"),
    ("summarization", "key-points", 2.5,
        r"\b(?:key|main) (?:points|takeaways|ideas|findings|arguments)\b|\bgist\b"
        r"|\bin a nutshell\b|\bhigh-level overview\b"),
    ("summarization", "shorten", 2.0,
        r"\bshorten\b|\bcondense\b|\bboil (?:it |this )?down\b|\brecap\b"
        r"|\bmake (?:it|this) shorter\b|\bcut (?:it|this) down\b"),
    ("summarization", "brevity", 1.0,
        r"\bbriefly\b|\bin (?:one|two|three|a few|\d+) (?:sentences?|lines?|words"
        r"|bullet points?)\b"),
    ("translation", "translate", 3.0, r"\btranslat(?:e|es|ed|ing|ion|ions|or)\b"),
    ("translation", "target-language", 2.5, rf"\b(?:in|into|to|from)\s+(?:{_LANGUAGES})\b"),
    ("translation", "say", 2.5,
        rf"\bhow (?:do|would|to) (?:you |i |we )?say\b"
        rf"|\b(?:{_LANGUAGES}) (?:word|phrase|version|equivalent|for)\b"),
    ("translation", "mixed-scripts", 2.0,
        rf"(?s)\A(?=.*[{_NON_LATIN_LETTERS}]{{2}})(?=.*\b[a-z]{{3}})"),
    ("translation", "diacritics", 1.0, rf"(?s)[{_LATIN_MARKS}][^{_LATIN_MARKS}]*[{_LATIN_MARKS}]"),
    ("extraction", "extract", 3.0, r"\bextract(?:s|ed|ing|ion)?\b"),
    ("extraction", "entities", 2.5,
        r"\b(?:list|find|identify|get|return|give me|pull out|pick out)\s+(?:all |every |each "
        r"|the )?(?:of the )?(?:names?|dates?|emails?|e-?mail addresses|phone numbers?"
        r"|addresses|urls?|links|amounts?|prices?|entities|people|companies|organi[sz]ations"
        r"|locations|keywords|skills|ids?)\b"),
    ("extraction", "collect", 2.0,
        r"\blist (?:all|every)\b|\bfind all\b|\bpull out\b|\bpick out\b|\bidentify all\b"),
    ("extraction", "structured", 2.0,
        r"\b(?:as|in|into|to) (?:a |an )?(?:json|csv|yaml|table|key-value pairs?"
        r"|structured (?:data|format|output))\b|\bjson (?:fields?|objects?|keys?)\b"),
    ("extraction", "parse", 1.5, r"\bpars(?:e|es|ing)\b"),
    ("extraction", "source", 1.5,
        r"\bfrom (?:this|the following|the above|the attached|the given) (?:text|document"
        r"|email|passage|article|invoice|receipt|resume|cv|contract|page|report|log)\b"),
    ("extraction", "fields", 1.0, r"\bfields?\b|\bnames and dates\b|\binvoice (?:number|total)\b"),
    ("chat", "greeting", 2.5,
        r"\A\W*(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening))\b"),
    ("chat", "small-talk", 2.5,
        r"\bhow are you\b|\bhow's it going\b|\bwhat's up\b|\bnice to meet you\b"
        r"|\bwho are you\b|\bwhat(?:'s| is) your name\b"),
    ("chat", "thanks", 2.0, r"\bthank(?:s| you)\b|\bthx\b|\bappreciate it\b"),
    ("chat", "creative", 2.0,
        r"\b(?:tell me )?a joke\b|\bwrite (?:me )?(?:a|an) (?:\w+ )?(?:poem|story|haiku|song"
        r"|limerick|letter|toast|speech|tweet|post)\b|\bbrainstorm\b|\bideas for\b"),
    ("chat", "opinion", 1.0,
        r"\bwhat do you think\b|\byour opinion\b|\byour favou?rite\b|\bdo you like\b"
        r"|\brecommend\b|\bsuggest\w*\b"),
)
# fmt: on

CUES: tuple[Cue, ...] = tuple(
    Cue(capability, label, weight, re.compile(regex, _IGNORE_CASE))
    for capability, label, weight, regex in _CUE_TABLE
)
"""Every cue of the heuristic, grouped by capability."""


@dataclass(frozen=True, slots=True)
class Classification:
    """What a query needs: its capability, tier and requirements, with the scores behind them."""

    capability: str
    tier: Tier
    required_capabilities: tuple[CapabilityRequirement, ...]
    confidence: float
    decided_by: str
    model_version: str | None
    scores: Mapping[str, float]
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Complexity:
    """A complexity cue: its pattern and the tier points it adds."""

    label: str
    pattern: re.Pattern[str]
    points: int


_COMPLEXITY = (
    _Complexity(
        "proof",
        re.compile(r"\bprove\b|\bproof\b|\bderiv(?:e|ation)\b|\bshow that\b", _IGNORE_CASE),
        3,
    ),
    _Complexity(
        "stepwise",
        re.compile(
            r"\bstep[- ]by[- ]step\b|\bwalk me through\b|\bin(?:-| )depth\b|\bin detail\b"
            r"|\bdetailed\b|\bthorough(?:ly)?\b|\bcomprehensive\b|\brigorous(?:ly)?\b",
            _IGNORE_CASE,
        ),
        1,
    ),
    _Complexity(
        "design",
        re.compile(
            r"\barchitect(?:ure)?\b|\bdesign (?:a|an|the)\b|\bscal(?:able|ability)\b"
            r"|\boptimi[sz]e\b|\bconcurren(?:t|cy)\b|\bdistributed\b|\bmigrat(?:e|ion)\b",
            _IGNORE_CASE,
        ),
        1,
    ),
    _Complexity(
        "trade-off",
        re.compile(r"\btrade-?offs?\b|\bpros and cons\b|\bcompar(?:e|ison)\b", _IGNORE_CASE),
        1,
    ),
)
_LENGTH_STEPS = (400, 1_500, 5_000)
_CODE_LINE_STEPS = (15, 60)
_CONSTRAINT = re.compile(
    r"\b(?:must|should|ensure|at least|at most|no more than|exactly|only|without|make sure)\b",
    re.IGNORECASE,
)
_MIN_CONSTRAINTS = 4
_ENUMERATED = re.compile(r"^\s*(?:\d+[.)]|[-*\u2022]|[a-z][.)])\s+\S", re.MULTILINE)
_FENCE = re.compile(r"```[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)


def classify_text(text: str) -> Classification:
    """Capability, tier and requirements of ``text``, by the weighted cues of this module."""
    scores = dict.fromkeys(CAPABILITIES, 0.0)
    scores["chat"] = CHAT_PRIOR
    evidence: list[str] = []
    for cue in CUES:
        if cue.pattern.search(text):
            scores[cue.capability] += cue.weight
            evidence.append(f"{cue.capability}:{cue.label}")
    ranked = sorted(CAPABILITIES, key=lambda name: (-scores[name], _TIE_ORDER.index(name)))
    primary, runner_up = ranked[0], ranked[1]
    margin = scores[primary] - scores[runner_up]
    tier, tier_evidence = _tier(text)
    return Classification(
        capability=primary,
        tier=tier,
        required_capabilities=_requirements(ranked, scores, tier),
        confidence=round(1.0 - math.exp(-margin / CONFIDENCE_SCALE), 4),
        decided_by=HEURISTIC,
        model_version=None,
        scores={name: round(score, 4) for name, score in scores.items()},
        evidence=(*evidence, *tier_evidence),
    )


MODEL_SECONDARY_MIN_PROBABILITY = 0.2
"""A capability the model gives at least this probability (and half the primary's) is also
required, with the secondary discount."""


def from_model(
    capabilities: Mapping[str, float], tiers: Mapping[str, float], *, decided_by: str, version: str
) -> Classification:
    """The classification the router model's probabilities give: argmax capability and tier."""
    unknown = set(capabilities) - set(CAPABILITIES)
    if unknown or not capabilities or not tiers:
        raise ValueError(f"router model labels {sorted(capabilities)} are not {CAPABILITIES}")
    ranked = sorted(capabilities, key=lambda name: (-capabilities[name], _TIE_ORDER.index(name)))
    primary = ranked[0]
    tier = Tier(max(tiers, key=lambda name: tiers[name]))
    minimum = MIN_PROFICIENCY[tier]
    secondary = [
        name
        for name in ranked[1:]
        if name != "chat"
        and capabilities[name] >= MODEL_SECONDARY_MIN_PROBABILITY
        and capabilities[name] >= capabilities[primary] / 2
    ][:MAX_SECONDARY]
    return Classification(
        capability=primary,
        tier=tier,
        required_capabilities=(
            CapabilityRequirement(name=primary, min_proficiency=minimum),
            *(
                CapabilityRequirement(
                    name=name, min_proficiency=round(minimum - SECONDARY_DISCOUNT, 4)
                )
                for name in secondary
            ),
        ),
        confidence=round(capabilities[primary], 4),
        decided_by=decided_by,
        model_version=version,
        scores={name: round(p, 4) for name, p in capabilities.items()},
    )


def text_for_classification(messages: Sequence[ChatMessage]) -> str:
    """The last user message, then the head of the system prompt; at most ``MAX_CLASSIFY_CHARS``."""
    # The user's words come first so cues anchored at the start (greetings) see them.
    last_user = next((m.content for m in reversed(messages) if m.role is Role.USER), "")
    system = next((m.content for m in messages if m.role is Role.SYSTEM), "")
    context = system.strip()[:CONTEXT_CHARS]
    budget = MAX_CLASSIFY_CHARS - (len(context) + 2 if context else 0)
    query = _bounded(last_user.strip(), budget)
    return "\n\n".join(part for part in (query, context) if part)


def _bounded(text: str, limit: int) -> str:
    # Keep the head (the request) and the tail (often the actual question after a paste).
    if len(text) <= limit:
        return text
    head = limit * 3 // 4
    return f"{text[:head]}\n...\n{text[len(text) - (limit - head - 5) :]}"


def _tier(text: str) -> tuple[Tier, list[str]]:
    evidence: list[str] = []
    points = sum(1 for step in _LENGTH_STEPS if len(text) >= step)
    if points:
        evidence.append(f"tier:length+{points}")
    if text.count("?") >= 2 or len(_ENUMERATED.findall(text)) >= 3:
        points += 1
        evidence.append("tier:multi-part+1")
    for complexity in _COMPLEXITY:
        if complexity.pattern.search(text):
            points += complexity.points
            evidence.append(f"tier:{complexity.label}+{complexity.points}")
    if len(_CONSTRAINT.findall(text)) >= _MIN_CONSTRAINTS:
        points += 1
        evidence.append("tier:constraints+1")
    code_lines = sum(len(block.strip().splitlines()) for block in _FENCE.findall(text))
    code_points = sum(1 for step in _CODE_LINE_STEPS if code_lines >= step)
    if code_points:
        points += code_points
        evidence.append(f"tier:code-lines+{code_points}")
    if points >= 3:
        return Tier.HEAVY, evidence
    return (Tier.MEDIUM if points else Tier.FAST), evidence


def _requirements(
    ranked: Sequence[str], scores: Mapping[str, float], tier: Tier
) -> tuple[CapabilityRequirement, ...]:
    primary = ranked[0]
    minimum = MIN_PROFICIENCY[tier]
    secondary = [
        name
        for name in ranked[1:]
        if name != "chat"
        and scores[name] >= SECONDARY_MIN_SCORE
        and scores[name] >= scores[primary] / 2
    ][:MAX_SECONDARY]
    return (
        CapabilityRequirement(name=primary, min_proficiency=minimum),
        *(
            CapabilityRequirement(name=name, min_proficiency=round(minimum - SECONDARY_DISCOUNT, 4))
            for name in secondary
        ),
    )
