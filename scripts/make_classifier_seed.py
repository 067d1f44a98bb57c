"""Write the query classifier's seed set from the hand-written groups and templates below.

The first round's content is in this file; the second round's (more phrasings, passages and
shared topics) is plain data in ``classifier_seed_phrasings.py`` beside it.

Every line of the output is ``{"text", "capability", "tier", "group", "source"}``. A group is
one phrasing (a template with its fillers, one instruction line of a bank, or a handful of
hand-written variants); the classifier's split keeps a group on one side, so no phrasing is in
both train and test. Banks draw their fillers from pools shared by several capabilities, so
the content of a passage or topic does not give the label away.

The tier follows the heuristic's meaning: the group's effort points (multi-step work,
proofs, design, many constraints), plus one point per length step (400 / 1,500 / 5,000
characters) and per code step (15 / 60 fenced lines); 0 is fast, 1-2 medium, 3+ heavy.

The content (queries, passages, code, translations) was written for this project; the
script only fills, dedupes and orders it, and the same ``--seed`` writes the same file::

    .venv/bin/python scripts/make_classifier_seed.py [--seed 1729] [--out PATH] [--check]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # Run as a script, only scripts/ is on the path; the second round's content sits beside.
    sys.path.insert(0, str(ROOT))

from scripts import classifier_seed_phrasings as more  # noqa: E402

DEFAULT_OUT = ROOT / "services/neuroweaver/src/automatrix/neuroweaver/seed/classifier_seed.jsonl"
SOURCE = "automatrix-seed-v2"
DEFAULT_SEED = 1729
LENGTH_STEPS = (400, 1_500, 5_000)
# Fillings per instruction line of a pasted-text bank: the request is a small part of such a
# text's embedding, so each phrasing is shown over more passages than a short request is.
PASSAGE_FILLS = 4
CODE_LINE_STEPS = (15, 60)
_FENCE = re.compile(r"```[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class SeedGroup:
    """One phrasing: literal variants, or patterns filled from slot values."""

    capability: str
    name: str
    effort: int
    texts: tuple[str, ...]
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)
    count: int = 0

    @property
    def key(self) -> str:
        """The group id written to the seed file."""
        return f"{self.capability}/{self.name}"


@dataclass(frozen=True)
class Row:
    """One labelled example as written to the seed file."""

    text: str
    capability: str
    tier: str
    group: str


def tier_of(text: str, effort: int) -> str:
    """Effort points plus length and code-line points, mapped to fast / medium / heavy."""
    points = effort + sum(1 for step in LENGTH_STEPS if len(text) >= step)
    code_lines = sum(len(block.strip().splitlines()) for block in _FENCE.findall(text))
    points += sum(1 for step in CODE_LINE_STEPS if code_lines >= step)
    if points >= 3:
        return "heavy"
    return "medium" if points else "fast"


def normalised(text: str) -> str:
    """The text as compared for duplicates: lower case, words only."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def fill(pattern: str, values: dict[str, str]) -> str:
    """``pattern`` with each ``{slot}`` it declares replaced; other braces stay as written."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: values.get(m.group(1), m.group(0)), pattern).strip()


def expand(group: SeedGroup, rng: random.Random) -> list[str]:
    """The texts of one group: its literal variants, or ``count`` distinct slot fillings."""
    if not group.slots:
        return [text.strip() for text in group.texts]
    names = sorted(group.slots)
    # The pattern is one more slot, so a single filler still gives one text per pattern.
    combos = list(itertools.product(group.texts, *(group.slots[name] for name in names)))
    rng.shuffle(combos)
    return [
        fill(pattern, dict(zip(names, values, strict=True)))
        for pattern, *values in combos[: group.count]
    ]


def build(seed: int) -> list[Row]:
    """Every example of every group, deduplicated by normalised text, in a stable order."""
    rng = random.Random(seed)
    seen: set[str] = set()
    rows: list[Row] = []
    groups = all_groups()
    keys = Counter(group.key for group in groups)
    if clashes := sorted(key for key, n in keys.items() if n > 1):
        # Two phrasings under one id would always land on the same side of a split.
        raise ValueError(f"group ids used twice: {clashes}")
    for group in groups:
        for text in expand(group, rng):
            key = normalised(text)
            if key in seen:
                continue
            seen.add(key)
            rows.append(Row(text, group.capability, tier_of(text, group.effort), group.key))
    return rows


def render(rows: list[Row]) -> str:
    """The JSON lines of ``rows``."""
    return "".join(
        json.dumps(
            {
                "text": row.text,
                "capability": row.capability,
                "tier": row.tier,
                "group": row.group,
                "source": SOURCE,
            },
            ensure_ascii=False,
        )
        + "\n"
        for row in rows
    )


def main() -> int:
    """Write (or with --check compare) the seed file and print its counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs")
    args = parser.parse_args()
    rows = build(args.seed)
    text = render(rows)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} differs from what the script writes", file=sys.stderr)
            return 1
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    counts = Counter((row.capability, row.tier) for row in rows)
    groups = Counter(row.capability for row in {(r.capability, r.group): r for r in rows}.values())
    for capability in sorted({row.capability for row in rows}):
        tiers = {tier: counts[capability, tier] for tier in ("fast", "medium", "heavy")}
        total = sum(tiers.values())
        print(f"{capability:14} {total:4}  groups {groups[capability]:3}  {tiers}")
    print(f"total {len(rows)}")
    return 0


# --------------------------------------------------------------------------------------------
# Content. Written by hand for this project; ``prose`` only joins hand-wrapped lines.


def prose(text: str) -> str:
    """Hand-wrapped prose as one line with single spaces."""
    return " ".join(text.split())


def lit(capability: str, name: str, effort: int, *texts: str) -> SeedGroup:
    """A group of literal, hand-written variants."""
    return SeedGroup(capability, name, effort, texts)


def tpl(
    capability: str,
    name: str,
    effort: int,
    patterns: str | tuple[str, ...],
    count: int = 5,
    **slots: tuple[str, ...],
) -> SeedGroup:
    """A group of ``count`` distinct fillings: a pattern and one value per slot."""
    texts = (patterns,) if isinstance(patterns, str) else patterns
    return SeedGroup(capability, name, effort, texts, dict(slots), count)


def all_groups() -> list[SeedGroup]:
    """Every group, capability by capability."""
    return [
        *_chat(),
        *_code(),
        *_math(),
        *_reasoning(),
        *_summarization(),
        *_translation(),
        *_extraction(),
        *_banks(),
        *_short_banks(),
        *_round_two(),
    ]


# Hand-written data from here on: laid out by hand, so the formatter leaves it alone.
# fmt: off


def _chat() -> list[SeedGroup]:
    c = "chat"
    return [
        lit(c, "greeting", 0, "Hi!", "Hello there", "Hey, how's it going?",
            "Good morning! How are you today?", "Hiya, anyone there?", "Good evening :)",
            "Hey! Long time no see.", "Howdy partner"),
        lit(c, "about-you", 0, "Who are you, exactly?", "What's your name?",
            "What kinds of things can you help me with?", "Are you a real person or a bot?",
            "Do you ever get tired of answering questions?", "Do you have feelings?"),
        lit(c, "thanks", 0, "Thanks so much, that worked!", "Thank you, you're a lifesaver.",
            "Perfect, appreciate it.", "Great answer, thanks!",
            "Cheers, that's exactly what I needed.", "ok thx",
            "Awesome, thank you for being so patient with me."),
        lit(c, "chit-chat", 0, "I just adopted a kitten!!",
            "Guess what, I finally finished my first marathon!", "Ugh, Monday again.",
            "I'm so bored today, talk to me about something fun.",
            "It's raining and I'm stuck inside. Entertain me?",
            "I passed my driving test this morning \U0001f389",
            "Do you like rainy days or sunny days better?"),
        tpl(c, "joke", 0, ("Tell me a joke about {topic}.", "Know any good jokes about {topic}?",
                           "I need a cheesy joke about {topic} for my kid's lunchbox note"),
            count=6, topic=("cats", "accountants", "penguins", "Mondays", "coffee",
                            "dentists", "dinosaurs", "the weather")),
        tpl(c, "pun", 0, "Give me your best pun about {topic}", count=4,
            topic=("cheese", "trees", "the ocean", "bread", "astronauts")),
        tpl(c, "haiku", 0, ("Write a haiku about {topic}.", "A haiku on {topic}, please"),
            count=6, topic=("autumn rain", "a sleepy cat", "the first snow", "city lights at night",
                            "an old bicycle", "morning coffee", "the last day of summer")),
        tpl(c, "poem-occasion", 0,
            "Could you write a short {tone} poem for my {person}'s {occasion}?", count=6,
            tone=("funny", "heartfelt", "rhyming"),
            person=("mum", "best friend", "grandfather", "coworker"),
            occasion=("birthday", "retirement", "graduation")),
        tpl(c, "bedtime-story", 1,
            ("Write a bedtime story for a {age}-year-old about {subject}.",
             "My {age}-year-old wants a story tonight about {subject}. Can you make one up?"),
            count=6, age=("four", "five", "six", "seven"),
            subject=("a dragon who is afraid of the dark", "a turtle who wants to fly",
                     "a robot learning to bake bread", "two squirrels who learn to share",
                     "a lighthouse that can't sleep")),
        tpl(c, "long-story", 3, prose("""
            Write a {genre} short story of about 1,500 words. It must be set in {setting}, the
            narrator should be {narrator}, and it must end with a twist. Make sure the dialogue
            feels natural, avoid clichés, and keep it under 1,600 words."""),
            count=5, genre=("science-fiction", "mystery", "literary", "fantasy", "horror"),
            setting=("a lighthouse off the coast of Maine", "a generation ship",
                     "1920s Shanghai", "a snowed-in ski lodge"),
            narrator=("an unreliable butler", "a retired detective", "a ten-year-old girl",
                      "the ship's AI")),
        tpl(c, "recommend", 0,
            ("Can you recommend {thing} for {context}?", "Any suggestions for {thing}? It's for "
             "{context}."),
            count=6, thing=("a good podcast", "a feel-good movie", "a fantasy book series",
                            "a board game", "an album"),
            context=("a long road trip", "a rainy Sunday", "a 12-year-old who loves dragons",
                     "a group of four adults", "someone who is new to jazz")),
        tpl(c, "favourite", 0, ("What's your favourite {x}?", "Do you have a favourite {x}?"),
            count=5, x=("movie", "colour", "season", "food", "book", "time of day", "song")),
        lit(c, "opinion", 0, "What do you think about pineapple on pizza?",
            "Honestly, is it weird to wear socks with sandals?",
            "Is it rude to recline your seat on a short flight?",
            "Breakfast for dinner: yes or no?", "Would you rather live by the sea or in the "
            "mountains?", "Be honest, is my plan to learn the ukulele at 50 silly?"),
        tpl(c, "gift", 0,
            ("Gift ideas for my {person} who loves {hobby}? Budget around {budget}.",
             "I need a present for my {person}. They're really into {hobby}, and I can spend "
             "about {budget}."),
            count=6, person=("dad", "sister", "boyfriend", "teacher", "8-year-old nephew"),
            hobby=("gardening", "yoga", "coffee", "dinosaurs", "hiking", "baking"),
            budget=("$30", "$50", "\u00a340", "\u20ac100")),
        tpl(c, "nerves", 0,
            ("I have a {event} tomorrow and I'm really nervous. Any tips?",
             "Feeling super anxious about my {event} tomorrow, can you cheer me up?"),
            count=6, event=("job interview", "first date", "driving test", "big presentation",
                            "piano recital", "first day at a new school")),
        tpl(c, "short-message", 0,
            ("Write a {tone} text to my {person} {purpose}.",
             "Help me word a quick {tone} message to my {person} {purpose}"),
            count=7, tone=("short apologetic", "warm", "funny", "polite"),
            person=("neighbour", "roommate", "boss", "friend", "landlord"),
            purpose=("about the noise last night", "to say I'll be late",
                     "to thank them for dinner", "cancelling our plans for Saturday")),
        tpl(c, "letter", 1, prose("""
            Help me write a letter to {recipient} {purpose}. Keep it polite but firm."""),
            count=5, recipient=("my landlord", "my son's school", "the hotel manager",
                                "my internet provider", "the city council"),
            purpose=("asking them to fix the heating", "about a billing mistake",
                     "complaining about repeated delays", "requesting a meeting")),
        tpl(c, "speech", 3, prose("""
            I need a five-minute {occasion} speech for {person}. Include two funny stories
            ({stories}), mention {detail}, end with a toast, and keep it warm without being
            cheesy. It should be easy to read aloud and must not mention {avoid}. Make sure it
            works for an audience of about 120 people, most of whom I don't know."""),
            count=5, occasion=("best man", "maid of honour", "retirement", "60th birthday"),
            person=("my brother Sam", "my oldest friend Claire", "my boss of ten years"),
            stories=("the camping trip where the tent blew away", "the time he got us lost "
                     "in Rome"),
            detail=("how they met", "their love of terrible puns"),
            avoid=("exes", "the divorce", "work gossip")),
        tpl(c, "vows", 3, prose("""
            Can you help me write detailed wedding vows? We met {how}, we've been together
            {years}, and I want to promise {promise}. They should be about two minutes long,
            personal, a little funny, and must not sound like a greeting card. Please give me
            two versions in different tones."""),
            count=4, how=("at a salsa class", "in a university library", "on a delayed train"),
            years=("six years", "three years", "eleven years"),
            promise=("to always make the coffee", "to never let the plants die",
                     "to laugh at your jokes even the fifth time")),
        lit(c, "caption", 0, "Write an Instagram caption for a photo of my dog at the beach",
            "Caption ideas for a sunset picture from our trip to Santorini?",
            "Give me a witty caption for my first homemade sourdough loaf",
            "What should I caption a graduation selfie with my grandma?",
            "Need a short caption for a picture of our new puppy asleep on my shoes"),
        tpl(c, "names", 0, ("Brainstorm some names for {thing}.", "Help me name {thing}!"),
            count=6, thing=("a bakery that only sells sourdough", "my golden retriever puppy",
                            "our pub quiz team", "a cosy bookshop caf\u00e9",
                            "a D&D campaign set underwater", "my houseplant collection",
                            "a podcast about gardening")),
        lit(c, "rainy-day", 0, "Fun things to do in Lisbon on a rainy day?",
            "What should I do this weekend? I'm bored and broke.",
            "Ideas for a cheap date night at home?",
            "Any ideas for a theme for my 30th birthday party?",
            "What are some fun activities for a team offsite?",
            "My kids are off school tomorrow, what can we do indoors?"),
        tpl(c, "itinerary", 1, prose("""
            Plan a {days}-day trip to {city} for {who}. We like {likes} and don't want to
            rush."""),
            count=6, days=("three", "four", "five"),
            city=("Kyoto", "Barcelona", "Mexico City", "Edinburgh", "Istanbul"),
            who=("me and my partner", "a family with two teenagers", "two friends on a budget"),
            likes=("food markets and museums", "hiking and street food", "architecture and "
                   "live music")),
        tpl(c, "dinner", 0, ("What can I make for dinner with {ingredients}?",
                             "I only have {ingredients} in the fridge. Dinner ideas?"),
            count=6, ingredients=("eggs, spinach and feta", "leftover rice and some chicken",
                                  "a can of chickpeas and a lemon", "pasta, garlic and "
                                  "tomatoes", "potatoes, onions and cheddar",
                                  "tofu, broccoli and soy sauce")),
        lit(c, "trivia", 0, "Who painted the Mona Lisa?", "What's the capital of Australia?",
            "When did the Berlin Wall fall?", "Who wrote Pride and Prejudice?",
            "What's the largest ocean on Earth?", "Which planet has the most moons?",
            "Who was the first woman to win a Nobel Prize?",
            "What is the national animal of Scotland?"),
        lit(c, "trivia-2", 0, "How old is the Eiffel Tower?", "Where is Machu Picchu?",
            "Is a tomato a fruit or a vegetable?", "What year did the first iPhone come out?",
            "Who sang 'Bohemian Rhapsody'?", "What do pandas eat?"),
        tpl(c, "roleplay", 0, "Pretend you're {persona} and {task}.", count=6,
            persona=("a pirate captain", "a medieval innkeeper", "my grumpy cat",
                     "a sports commentator", "a 1950s radio host"),
            task=("welcome me aboard", "tell me today's specials",
                  "explain why you knocked my mug off the table",
                  "narrate me making breakfast")),
        tpl(c, "pep-talk", 0, ("Give me a pep talk, {situation}.",
                               "Can you motivate me? {situation_cap}."),
            count=5, situation=("I have to clean my whole flat today",
                                "I keep putting off going to the gym",
                                "I failed an exam and I feel awful"),
            situation_cap=("Deadline tomorrow and zero energy",
                           "I've been procrastinating all week")),
        tpl(c, "cover-letter", 1, prose("""
            Write a cover letter for a {role} position at {company}. I have {experience} and
            I'm especially excited about {why}."""),
            count=5, role=("junior graphic designer", "nurse", "barista", "project manager",
                           "museum guide"),
            company=("a small branding studio", "St. Mary's Hospital", "a local coffee roaster"),
            experience=("two years of freelance experience", "a year of volunteering"),
            why=("their community projects", "the chance to work with people every day")),
        tpl(c, "song", 0, "Write a short song about {subject} in the style of {style}", count=5,
            subject=("my cat's morning routine", "missing the bus", "a rainy Tuesday",
                     "doing laundry"),
            style=("a sea shanty", "a country ballad", "a nursery rhyme")),
        lit(c, "advice-social", 0, prose("""
            My best friend forgot my birthday again this year. It's not a huge deal but it hurt
            a bit. How do I bring it up without sounding petty?"""), prose("""
            I'm moving to a new city next month and I don't know anyone there. How do people
            usually make friends as an adult?"""), prose("""
            My coworker keeps talking to me while I'm trying to focus. Any nice way to tell her
            I need quiet time?"""), prose("""
            I want to get back into reading but my phone keeps distracting me. Any tips?"""),
            prose("""
            My grandma turns 90 next week and loves the 1950s. Any ideas to make her day
            special?""")),
        tpl(c, "meal-plan", 3, prose("""
            Make me a comprehensive 7-day meal plan. I'm {diet}, I must hit at least {protein}
            of protein a day, I can only cook on {days}, and everything should keep in the
            fridge for four days. No more than {budget} a week, please, and include a shopping
            list grouped by aisle."""),
            count=4, diet=("vegetarian", "gluten-free", "dairy-free", "pescatarian"),
            protein=("120 g", "100 g", "90 g"), days=("Sundays and Wednesdays",
                                                      "weekends only"),
            budget=("$80", "\u00a360", "\u20ac70")),
        tpl(c, "campaign", 3, prose("""
            Design a full Dungeons & Dragons one-shot for {players} level-{level} players set in
            {setting}: a detailed plot outline with three acts, four NPCs with motivations, two
            combat encounters balanced for the party, one puzzle, and a twist ending. It should
            fit in a four-hour session."""),
            count=4, players=("four", "five"), level=("3", "5", "7"),
            setting=("a haunted vineyard", "a floating market city", "a frozen monastery")),
        lit(c, "trivia-who", 0, "Who invented the telephone?", "Who was the first person on the "
            "moon?", "Who directed Jaws?", "Who is the author of the Harry Potter books?",
            "Who discovered penicillin?", "Who won the 2018 World Cup?"),
        lit(c, "trivia-where", 0, "Where is the Great Barrier Reef?", "Which country is Timbuktu "
            "in?", "Where do kangaroos live in the wild?", "What continent is Egypt in?",
            "Where was Mozart born?", "Where's the tallest building in the world?"),
        lit(c, "trivia-what", 0, "What's the longest river in the world?",
            "What is the currency of Switzerland?", "What's the smallest country in the "
            "world?", "What colour is a polar bear's skin?", "What's the fastest land "
            "animal?", "What's the hottest planet in the solar system?"),
        lit(c, "tell-me-about", 0, "Tell me something interesting about octopuses.",
            "Tell me a fun fact about space!", "What's a random fact I probably don't know?",
            "Tell me about the history of pizza.", "Tell me something cool about honeybees.",
            "Share a fun fact about the Roman Empire."),
        lit(c, "quick-facts", 0, "How many players are on a football team?",
            "How long do cats usually live?", "When is the next leap year?",
            "What time zone is Tokyo in?", "How many bones does an adult human have?",
            "What's the boiling point of water in Fahrenheit?"),
        lit(c, "capabilities", 0, "Can you remember what we talked about yesterday?",
            "Are you able to browse the internet?", "Which model are you?",
            "Can you see images?", "Do you learn from our conversations?",
            "Hey assistant, what are you good at?"),
        lit(c, "personal", 0, "Do you dream?", "What would you do if you were human for a day?",
            "Are you happy?", "If you could travel anywhere, where would you go?",
            "Do you ever get bored?", "What makes you laugh?"),
        lit(c, "goodbye", 0, "Bye for now!", "Good night, talk tomorrow.",
            "That's all I needed, have a good one.", "See you later, alligator",
            "Ok I'm off to bed. Night!", "Catch you later :)"),
        lit(c, "feelings", 0, "I'm feeling a bit lonely tonight.", "I had a really rough day at "
            "work.", "I'm so happy right now, I got the job!", "I can't sleep, want to chat?",
            "My dog died last week and I miss him.", "Feeling stressed about everything lately."),
        lit(c, "roleplay-2", 0, "Let's play a game: you're a fortune teller and I'm your "
            "customer.", "Talk to me like you're Shakespeare.", "Can you act like a grumpy "
            "old wizard for a bit?", "Be my hype man for the next five minutes.",
            "Pretend we're two astronauts stuck on Mars and start the conversation.",
            "Respond only in pirate speak from now on, matey."),
        lit(c, "games", 0, "Let's play 20 questions. I'm thinking of an animal.",
            "Give me a fun would-you-rather question.", "Want to play a word association "
            "game?", "Ask me a trivia question about movies.", "Let's play rock paper "
            "scissors. Rock!", "Give me a tongue twister to try."),
        lit(c, "writing-notes", 1, "Write a thank-you note to my kid's teacher for a great year.",
            "Write a sympathy card message for a coworker who lost her father.",
            "Help me write a short note to welcome our new neighbours.",
            "Write a farewell message for a colleague who is retiring after 30 years.",
            "Draft a friendly reminder to my book club that we meet on Thursday.",
            "Write an apology note to my sister for missing her birthday dinner."),
        lit(c, "writing-posts", 0, "Write a tweet announcing our bakery's new cinnamon buns.",
            "Write a LinkedIn post celebrating my team's product launch.",
            "Write a short Facebook post inviting neighbours to a street party on Saturday.",
            "Draft a funny out-of-office reply for my two-week holiday.",
            "Write a dating profile bio for someone who loves climbing and bad puns."),
        lit(c, "writing-creative", 1, "Write a limerick about a cat who loves lasagne.",
            "Write a short love poem that doesn't rhyme.",
            "Write a two-paragraph story about a lost umbrella finding its way home.",
            "Write a funny poem about working from home with toddlers.",
            "Write a spooky campfire story for teenagers, about five minutes long.",
            "Write a few lines of a rap about recycling for my son's class."),
        lit(c, "advice-everyday", 0, "How do I get my toddler to sleep through the night?",
            "Any tips for keeping basil alive on a windowsill?",
            "How can I make my small apartment feel cosier?",
            "What should I pack for a weekend camping trip?",
            "How do I get red wine out of a white shirt?",
            "What's a good way to start running if I've never done it?"),
        lit(c, "recommend-2", 0, "What should I watch tonight? I liked Parasite and Knives Out.",
            "Suggest a cocktail I can make with gin and grapefruit.",
            "Recommend some chill music for studying.",
            "I loved The Martian. What should I read next?",
            "What's a good dog breed for a small flat?",
            "Any good podcasts about history?"),
        lit(c, "party", 0, "What games can we play at a kid's 7th birthday party?",
            "Theme ideas for an office holiday party?",
            "What food should I serve at a summer barbecue for 20 people?",
            "Help me come up with a fun hen party activity.",
            "Ideas for a surprise anniversary evening at home?"),
        lit(c, "long-chat-writing", 3, prose("""
            Write a detailed, heartfelt eulogy for my grandfather. He was a carpenter for fifty
            years, built the kitchen table our whole family still eats at, loved fishing and
            terrible jokes, and raised five kids after my grandmother passed. It must be about
            six minutes long, should include one funny memory and one quiet one, must not be
            religious, and make sure it ends on hope rather than sadness."""),
            prose("""
            Write a complete children's picture book text (about 14 spreads) about a hedgehog
            who is scared of the first snow. It should rhyme, use simple words for ages 3 to 5,
            must have a repeating refrain, and make sure every spread has a short illustration
            note."""),
            prose("""
            I want a comprehensive toast for my parents' 40th wedding anniversary: cover how
            they met in 1985, the move to Canada, raising three kids, and their love of
            ballroom dancing. It must be under five minutes, should include a light joke about
            Dad's cooking, must mention Grandma Rosa, and make sure the ending invites everyone
            to raise a glass.""")),
        lit(c, "acknowledge", 0, "ok cool", "Got it, makes sense now.", "Nice, that's "
            "helpful!", "Perfect, you're the best.", "Oh wow, I didn't know that. Thanks!",
            "Alright, appreciate the help!", "Brilliant, cheers mate"),
        lit(c, "quick-facts-2", 0, "How long is a marathon?", "How many strings does a violin "
            "have?", "How old was Mozart when he died?", "How many states are in the US?",
            "How far is the moon from Earth?", "How many time zones does Russia have?"),
        lit(c, "how-facts", 0, "How do you pronounce 'quinoa'?", "How often should I water a "
            "cactus?", "How long should I boil an egg for a runny yolk?",
            "How do I tie a tie?", "How long does it take to fly from London to New York?",
            "How do I get rid of hiccups?"),
        lit(c, "writing-requests", 1, "Write a short welcome speech for our company picnic.",
            "Write a birthday message for my coworker Jen, funny but not mean.",
            "Help me write a polite email declining a wedding invitation.",
            "Write a toast for my sister's engagement party, about a minute long.",
            "Write a short bio for my photography website.",
            "Write a heartfelt card for my parents' anniversary."),
        lit(c, "roleplay-3", 0, "You're a barista. Take my order!", "Act as my personal "
            "cheerleader today.", "Be a tour guide and welcome me to Rome.",
            "Pretend to be a cat and tell me about your day.", "Can you talk like a cowboy "
            "for the rest of this chat?", "Imagine you're a dragon guarding treasure. What do "
            "you say to me?"),
        lit(c, "opinion-2", 0, "Which is cuter, otters or red pandas?", "Is it weird that I "
            "eat cereal for dinner?", "What's the best pizza topping, in your opinion?",
            "Do you think it's ok to text a friend at midnight?", "Summer or winter?",
            "What's your take on pineapple in smoothies?"),
        lit(c, "plan-fun", 1, "Plan a cosy movie night for me and three friends.",
            "Help me plan a picnic in the park for my daughter's birthday.",
            "Plan a relaxing Sunday for someone who's been working too much.",
            "Plan a romantic weekend in Paris on a mid-range budget.",
            "Help me plan a game night menu and playlist."),
        lit(c, "worldbuilding", 3, prose("""
            Create a detailed fantasy world for my novel: three kingdoms with distinct
            cultures, a magic system with clear costs and limits, a thousand-year history
            with two great wars, major religions, and a map description. It must feel
            original, should avoid Tolkien clichés, and make sure the politics are
            believable."""),
            prose("""
            Write a full murder-mystery party script for eight guests set in a 1920s
            speakeasy: character sheets with secrets for each guest, three rounds of clues, a
            red herring, and the solution. Every character must have a motive and the clues
            should only point to the killer in the last round."""),
            prose("""
            Write a comprehensive, chapter-by-chapter outline for a young-adult novel about
            twins separated at a space station: 24 chapters, each with its goal, conflict and
            cliffhanger, plus character arcs for the twins and the antagonist.""")),
        lit(c, "compliments", 0, "Say something nice to cheer me up.", "Tell me I'm doing "
            "great, I need it today.", "Give me a compliment!", "Can you say something "
            "encouraging before my exam?", "Write me a tiny motivational quote for my desk."),
    ]


_PY_AVERAGE = """```python
def average(values):
    total = 0
    for v in values:
        total += v
    return total / len(values)

print(average([]))
```"""
_JS_LOOP = """```javascript
for (var i = 0; i < 3; i++) {
  setTimeout(() => console.log(i), 100);
}
```"""
_GO_RACE = """```go
count := 0
for i := 0; i < 1000; i++ {
    go func() { count++ }()
}
fmt.Println(count)
```"""
_SQL_JOIN = """```sql
SELECT c.name, SUM(o.total)
FROM customers c
LEFT JOIN orders o ON o.customer_id = c.id
WHERE o.created_at > '2025-01-01'
GROUP BY c.name;
```"""
_RUST_BORROW = """```rust
let mut v = vec![1, 2, 3];
let first = &v[0];
v.push(4);
println!("{}", first);
```"""
_BASH_RENAME = """```bash
for f in $(ls *.txt); do
  mv $f ${f%.txt}.md
done
```"""
_PY_MUTABLE = """```python
def add_item(item, bucket=[]):
    bucket.append(item)
    return bucket
```"""
_TS_ERROR = """```
src/user.ts:14:5 - error TS2322: Type 'string | undefined' is not assignable to type 'string'.
```"""
_PY_TRACE = """```
Traceback (most recent call last):
  File "app/main.py", line 42, in handle
    user = users[request.json["id"]]
KeyError: 'id'
```"""
_JAVA_NPE = """```
Exception in thread "main" java.lang.NullPointerException: Cannot invoke
"Profile.getDisplayName()" because the return value of "User.getProfile()" is null
    at com.shop.UserService.greet(UserService.java:27)
```"""
_PY_ORDERS = """```python
import csv
from datetime import datetime


def load_orders(path):
    orders = []
    f = open(path)
    reader = csv.reader(f)
    next(reader)
    for row in reader:
        order = {}
        order["id"] = row[0]
        order["customer"] = row[1]
        order["amount"] = float(row[2])
        order["date"] = datetime.strptime(row[3], "%Y-%m-%d")
        if order["amount"] > 0:
            orders.append(order)
    return orders


def totals_by_customer(orders):
    totals = {}
    for o in orders:
        if o["customer"] in totals:
            totals[o["customer"]] = totals[o["customer"]] + o["amount"]
        else:
            totals[o["customer"]] = o["amount"]
    return totals
```"""
_JS_CART = """```javascript
function Cart() {
  this.items = [];
}
Cart.prototype.add = function (product, qty) {
  for (var i = 0; i < this.items.length; i++) {
    if (this.items[i].product.id == product.id) {
      this.items[i].qty = this.items[i].qty + qty;
      return;
    }
  }
  this.items.push({ product: product, qty: qty });
};
Cart.prototype.total = function () {
  var sum = 0;
  for (var i = 0; i < this.items.length; i++) {
    sum = sum + this.items[i].product.price * this.items[i].qty;
  }
  return sum;
};
```"""
_GO_HANDLER = """```go
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
    file, header, err := r.FormFile("file")
    if err != nil {
        http.Error(w, err.Error(), 400)
        return
    }
    data, _ := ioutil.ReadAll(file)
    path := "/uploads/" + header.Filename
    ioutil.WriteFile(path, data, 0644)
    s.db.Exec("INSERT INTO uploads (name, size) VALUES ('" + header.Filename + "', " +
        strconv.Itoa(len(data)) + ")")
    w.WriteHeader(201)
}
```"""


def _code() -> list[SeedGroup]:
    c = "code"
    return [
        lit(c, "howto-python", 0, "How do I read a CSV file into a list of dicts in Python?",
            "What's the Pythonic way to merge two dictionaries?",
            "How do I sort a list of tuples by the second element in Python?",
            "How can I flatten a nested list in Python?",
            "How do I get the current date in ISO format in Python?",
            "python: how to check if a file exists before opening it"),
        lit(c, "howto-js", 0, "How do I reverse a string in JavaScript?",
            "How do I deep clone an object in JS?",
            "What's the difference between let and const in JavaScript?",
            "How can I debounce a search input in React?",
            "How do I make an HTTP POST request with fetch and send JSON?",
            "javascript remove duplicates from array"),
        lit(c, "howto-misc", 0, "How can I check if a key exists in a Go map?",
            "What's the idiomatic way to handle errors in Rust?",
            "How do I center a div horizontally and vertically with flexbox?",
            "How do I convert a String to an int in Java?",
            "In C#, how do I read a file line by line?",
            "How do I declare a constant array in TypeScript?",
            "What does the static keyword mean on a C++ member function?"),
        lit(c, "git", 0, "What's the git command to undo my last commit but keep the changes?",
            "How do I delete a remote branch in git?",
            "git: how to squash my last three commits into one?",
            "How can I see which files changed between two git tags?",
            "I committed to main by accident, how do I move the commit to a new branch?"),
        lit(c, "shell", 0, "Bash one-liner to count lines in all .py files recursively?",
            "How do I find which process is listening on port 8080 on Linux?",
            "What's the PowerShell equivalent of `grep -r`?",
            "How do I make a bash script exit on the first error?",
            "How do I copy a directory over ssh with rsync but skip node_modules?"),
        tpl(c, "write-function", 0,
            ("Write a {lang} function that {does}.", "Can you give me a {lang} function to "
             "{does_inf}?"),
            count=8, lang=("Python", "JavaScript", "Go", "Rust", "Java", "TypeScript"),
            does=("checks whether a string is a palindrome", "returns the n-th Fibonacci number",
                  "removes duplicate items from a list while keeping the order",
                  "converts a Roman numeral to an integer"),
            does_inf=("validate an email address", "chunk a list into pieces of size n",
                      "parse a query string into a map")),
        tpl(c, "implement-algorithm", 1,
            "Implement {algorithm} in {lang}, with a couple of tests.", count=6,
            algorithm=("Dijkstra's shortest path with a binary heap", "an LRU cache",
                       "a trie with insert and prefix search", "binary search on a rotated "
                       "sorted array", "a token bucket rate limiter", "merge sort"),
            lang=("Python", "Java", "C++", "Go", "Kotlin")),
        tpl(c, "regex", 0, ("Give me a regex that matches {what}.",
                            "I need a regular expression for {what}"),
            count=6, what=("UK postcodes", "a hex colour like #1a2b3c", "dates in YYYY-MM-DD",
                           "IPv4 addresses", "a semantic version such as 1.4.0-beta",
                           "lines that start with TODO or FIXME", "US phone numbers")),
        tpl(c, "sql-write", 1, prose("""
            Write a SQL query that returns {what} from a table {table}."""),
            count=6, what=("the top 5 customers by total spend last month",
                           "each department's average salary, highest first",
                           "users who signed up but never placed an order",
                           "the second highest price per category",
                           "daily active users for the last 30 days"),
            table=("orders(id, customer_id, total, created_at)",
                   "employees(id, department, salary)",
                   "events(user_id, event_type, ts)")),
        lit(c, "sql-fix", 1,
            f"Why does this query drop customers with no orders?\n{_SQL_JOIN}",
            f"This Postgres query is slow on 20M rows, what index should I add?\n{_SQL_JOIN}",
            "SELECT * FROM orders WHERE DATE(created_at) = '2025-03-01' is not using my index "
            "on created_at. Why, and how do I rewrite it?",
            "MySQL error 1452: Cannot add or update a child row: a foreign key constraint fails."
            " What does it mean?"),
        lit(c, "debug-snippet", 1,
            f"Why does this crash?\n{_PY_AVERAGE}",
            f"Why does this print 3 3 3 instead of 0 1 2?\n{_JS_LOOP}",
            f"The count is different every time I run this. What's wrong?\n{_GO_RACE}",
            f"The borrow checker rejects this, why?\n{_RUST_BORROW}",
            f"This breaks on file names with spaces. How do I fix it?\n{_BASH_RENAME}",
            f"Calling add_item twice returns both items. Is this a Python bug?\n{_PY_MUTABLE}"),
        lit(c, "stack-trace", 0, f"Getting this when I POST without a body:\n{_PY_TRACE}",
            f"What does this mean and how do I fix it?\n{_TS_ERROR}",
            f"{_JAVA_NPE}\nhow do I avoid this?",
            "npm ERR! ERESOLVE unable to resolve dependency tree -- what should I do?",
            "Segmentation fault (core dumped) when I free a pointer twice in C. Why?",
            "ModuleNotFoundError: No module named 'requests' even though I pip installed it"),
        lit(c, "error-question", 0,
            "What does 'undefined is not a function' usually mean in JavaScript?",
            "docker: Error response from daemon: port is already allocated. How do I fix it?",
            "Why do I get CORS errors when my React app calls my Flask API on localhost?",
            "My Kubernetes pod is stuck in CrashLoopBackOff, how do I debug it?",
            "Gradle build fails with 'Could not resolve all files for configuration', help"),
        lit(c, "explain-snippet", 0,
            "What does `[x for row in grid for x in row]` do in Python?",
            "Explain this bash line: `find . -name '*.log' -mtime +7 -delete`",
            "What does `const { data = [] } = props;` mean in JavaScript?",
            "Can you explain what `SELECT DISTINCT ON (user_id) *` does in Postgres?",
            "What does `#[derive(Debug, Clone)]` do in Rust?"),
        lit(c, "refactor-long", 1,
            f"Refactor this to be cleaner and more idiomatic, with type hints:\n{_PY_ORDERS}",
            f"Rewrite this as a modern ES2022 class and fix anything buggy:\n{_JS_CART}",
            f"Review this handler. I think it has security problems:\n{_GO_HANDLER}",
            f"Can you add error handling and tests for this?\n{_PY_ORDERS}",
            f"{_JS_CART}\nPlease convert this to TypeScript with proper types."),
        tpl(c, "convert-language", 1,
            "Convert this {src} snippet to {dst}:\n{snippet}", count=5,
            src=("Python",), dst=("Go", "Rust", "JavaScript", "Java", "C#"),
            snippet=(_PY_AVERAGE, _PY_MUTABLE)),
        tpl(c, "unit-tests", 1, ("Write pytest tests for this function:\n{snippet}",
                                 "Add unit tests that cover the edge cases here:\n{snippet}"),
            count=3, snippet=(_PY_AVERAGE, _PY_MUTABLE)),
        tpl(c, "web-endpoint", 1, prose("""
            Write a {framework} endpoint that {does}, with input validation and a 404 when
            the record is missing."""),
            count=6, framework=("FastAPI", "Express", "Spring Boot", "Django REST Framework",
                                "Flask"),
            does=("returns a user by id", "updates a product's price",
                  "lists a customer's orders with pagination", "deletes a comment")),
        tpl(c, "infra-config", 1, ("Write a {thing} for {app}.",
                                   "Can you give me a {thing} for {app}?"),
            count=6, thing=("Dockerfile", "Kubernetes deployment manifest",
                            "GitHub Actions workflow", "docker-compose file",
                            "Terraform config"),
            app=("a Node.js API with Postgres", "a Django app behind nginx",
                 "a Go service that needs Redis", "a static React site")),
        tpl(c, "perf", 1, prose("""
            My {lang} code that {does} takes {time}. How can I optimize it?"""),
            count=5, lang=("Python", "pandas", "Java", "JavaScript", "R"),
            does=("loops over 10 million rows", "parses a 2 GB JSON file",
                  "computes pairwise distances between 50k points",
                  "renders a list of 5,000 items"),
            time=("about 40 minutes", "forever", "over a minute")),
        tpl(c, "system-design", 3, prose("""
            Design {system} in {lang}. It must handle {load}, survive a node failure without
            losing data, and be horizontally scalable. Include the data model, the API, how you
            handle concurrency and retries, and the main code for the core component."""),
            count=6, system=("a URL shortener", "a distributed rate limiter",
                             "a job queue with retries and dead-lettering",
                             "a real-time chat backend", "a webhook delivery service"),
            lang=("Go", "Java", "Python", "Rust"),
            load=("10k requests per second", "a million active users",
                  "bursts of 50k events per second")),
        tpl(c, "migration", 3, prose("""
            We need to migrate {what} with zero downtime. Walk me through the architecture step
            by step and write the migration scripts. The app is {stack} and we must keep
            backwards compatibility for at least one release."""),
            count=4, what=("our user table from MySQL to Postgres",
                           "a monolith's auth module into its own service",
                           "an integer primary key to UUIDs on a 300M-row table"),
            stack=("Django", "Rails", "Spring Boot", "Node.js with Prisma")),
        lit(c, "code-review-short", 0,
            "Is `if x == None:` bad style in Python?",
            "Should I use `==` or `===` in JavaScript?",
            "Is it OK to catch Exception everywhere in my Java service?",
            "Is `SELECT *` in production code really that bad?",
            "Are global variables in a Flask app a bad idea?"),
        lit(c, "scripts", 1,
            "Write a Python script that renames all photos in a folder by their EXIF date.",
            "I need a script that backs up a Postgres database to S3 every night.",
            "Write a bash script that pings a list of hosts and emails me if one is down.",
            "Write a Node script that reads a CSV of users and inserts them into MongoDB.",
            "Make a small Python CLI with argparse that converts JSON files to YAML."),
        lit(c, "ui", 1,
            "Build a React component for a searchable dropdown with keyboard navigation.",
            "Write the HTML and CSS for a responsive three-column pricing table.",
            "Make a Vue component that shows a paginated table of users fetched from an API.",
            "How do I make a sticky header in CSS that shrinks when you scroll?",
            "SwiftUI: how do I show a sheet when a list row is tapped?"),
        lit(c, "concepts-code", 0,
            "What's a closure in JavaScript? Show me a tiny example.",
            "How do Python decorators work? Give me a small example I can run.",
            "Show me how to use async/await with a timeout in Python asyncio.",
            "Example of a generic function with a trait bound in Rust?",
            "How do I use a context manager to time a block of code in Python?"),
        lit(c, "data-code", 1,
            "In pandas, how do I group by two columns and get the mean and count in one go?",
            "How do I pivot a long dataframe to wide format in pandas?",
            "numpy: how to compute a moving average over a 1-D array efficiently?",
            "Plot two y-axes with matplotlib sharing the same x-axis",
            "How do I read a Parquet file with PySpark and write it partitioned by date?"),
        lit(c, "howto-css", 0, "How do I make an image responsive in CSS?",
            "How can I make a footer stick to the bottom of the page?",
            "CSS grid: how do I make three equal columns that wrap on mobile?",
            "How do I change the colour of an SVG icon on hover?",
            "Why isn't z-index working on my dropdown?"),
        lit(c, "howto-backend", 0, "How do I hash passwords properly in Node.js?",
            "How do I set up CORS in Express?", "How do I run a Django migration for one app "
            "only?", "How do I add a unique constraint in a Rails migration?",
            "How do I read environment variables in a Spring Boot app?",
            "How do I paginate results with SQLAlchemy?"),
        lit(c, "howto-java", 0, "How do I iterate over a HashMap in Java?",
            "What's the difference between an interface and an abstract class in Java?",
            "How do I format a LocalDate as dd/MM/yyyy in Java?",
            "Kotlin: how do I make a data class with a default value?",
            "How do I use streams to sum a list of integers in Java?"),
        lit(c, "sql-howto", 0, "How do I delete duplicate rows in Postgres but keep one?",
            "What's the difference between INNER JOIN and LEFT JOIN?",
            "How do I get the row count of every table in MySQL?",
            "How do I add a column with a default value in SQLite?",
            "How do I write an upsert in PostgreSQL?",
            "How can I find the Nth highest salary in SQL?"),
        lit(c, "sql-queries", 1, "Write a query that counts orders per month for 2024.",
            "I need SQL to find customers who bought product A but never product B.",
            "Write a Postgres query with a window function to rank products by sales within "
            "each category.", "Give me a SQL query that finds gaps in a sequence of invoice "
            "numbers.", "Query to list employees who earn more than their managers?"),
        lit(c, "git-2", 0, "How do I resolve a merge conflict in git?",
            "What's the difference between git merge and git rebase?",
            "How do I undo git add for one file?", "How do I change the message of my last "
            "commit?", "How do I make git ignore a folder that's already tracked?",
            "git pull says 'divergent branches', what do I do?"),
        lit(c, "devops", 0, "How do I see the logs of a crashed Docker container?",
            "How do I restart a deployment in Kubernetes without downtime?",
            "How do I free up disk space used by Docker images?",
            "What's the nginx config to redirect http to https?",
            "How do I schedule a cron job to run every 15 minutes?",
            "How do I SSH into an EC2 instance with a .pem key?"),
        lit(c, "bugs-described", 1, "My React component re-renders endlessly when I call setState"
            " inside useEffect. Why?", "My Python script works locally but the cron job says "
            "module not found. What's different?", "My Java app runs out of memory after a few "
            "hours. How do I find the leak?", "Node app hangs and never exits after the tests "
            "finish. What keeps it alive?", "Our Go service's latency spikes every two minutes; "
            "could it be the garbage collector?"),
        lit(c, "write-small", 0, "Write a function to check if a number is prime.",
            "Give me code to download a file from a URL in Python.",
            "Write a JavaScript snippet that copies text to the clipboard.",
            "Write a Go program that prints the current time every second.",
            "Write a C function that swaps two integers using pointers.",
            "Code to shuffle an array in place in JavaScript?"),
        lit(c, "write-class", 1, "Write a Python class for a bank account with deposit, withdraw "
            "and a transaction history.", "Create a TypeScript class for a shopping cart with "
            "add, remove and total methods.", "Write a thread-safe singleton in Java.",
            "Implement a stack using two queues in C++.", "Write a Rust struct for a 2D vector "
            "with add and dot product."),
        lit(c, "api-clients", 1, "Write a Python client for the GitHub API that lists my "
            "repositories and handles pagination.", "How do I call a REST API with retries and "
            "exponential backoff in Go?", "Show me how to upload a file to S3 with boto3.",
            "Write an Axios interceptor that refreshes the JWT when it expires.",
            "How do I consume a Kafka topic in Java with manual offset commits?"),
        lit(c, "review-short", 1, "Can you review this function? `def f(l): return "
            "sorted(l)[len(l)//2]` It's supposed to compute the median.",
            "Is this safe? `query = \"SELECT * FROM users WHERE id = \" + user_id`",
            "What's wrong with `if (a = 5) { ... }` in C?",
            "Any issue with `for i in range(len(items)): print(items[i])` in Python?",
            "Why is `x == NaN` always false in JavaScript?"),
        lit(c, "algorithms-q", 1, "What's the time complexity of inserting into a binary heap, "
            "and can you show the code?", "How do I detect a cycle in a linked list? Code in "
            "Java please.", "Write a function to find the longest common subsequence of two "
            "strings.", "How would I implement topological sort in Python?",
            "Code a BFS to find the shortest path in a grid maze."),
        lit(c, "code-heavy", 3, prose("""
            Build a small REST service in Go for managing todo lists: users, lists and items,
            JWT auth, PostgreSQL with migrations, pagination, input validation, structured
            logging, graceful shutdown, and table-driven tests for every handler. The code must
            be production quality and should run in Docker."""),
            prose("""
            Write a concurrent web crawler in Python with asyncio: it must respect robots.txt,
            limit requests per domain, deduplicate URLs, retry with backoff, store pages in
            SQLite and stop at a configurable depth. Include tests and explain the design."""),
            prose("""
            Implement a thread-safe in-memory key-value store in Rust with TTLs, an LRU
            eviction policy, snapshots to disk and a small TCP protocol. It should handle
            10k concurrent clients; include benchmarks and tests."""),
            prose("""
            Refactor our Express monolith into modules: auth, billing and notifications, each
            with its own routes, services and repositories, dependency injection, and a
            migration plan that keeps the API backward compatible. Show the new folder
            structure and the key code.""")),
        lit(c, "html-css", 1, "Write an HTML form with name, email and message fields and some "
            "basic CSS.", "Create a landing page hero section with a background image and a "
            "centred button.", "Build a CSS-only hamburger menu for mobile.",
            "Write the HTML and CSS for a card component with an image, title and tags.",
            "Make a dark-mode toggle with CSS variables and a bit of JavaScript."),
        lit(c, "regex-2", 0, "Regex to extract the domain from a URL?", "What regex validates "
            "a strong password with at least one digit and one symbol?",
            "How do I match whole words only with a regex in Python?",
            "Regex that matches a time like 23:59 but not 24:00?",
            "Write a regex to strip HTML tags from a string."),
        lit(c, "frontend-q", 0, "How do I pass data from a child to a parent component in "
            "React?", "Why is my useState update not showing up right away?",
            "How do I fetch data on page load in Next.js?", "What's the difference between "
            "props and state in React?", "How do I lazy load images in plain HTML?"),
        lit(c, "bugs-described-2", 1, "My Python requests call hangs forever on some URLs. How "
            "do I add a timeout and retry?", "My CSS changes don't show up in production. "
            "Caching?", "Unit tests pass locally but fail in GitHub Actions with a timezone "
            "error. Ideas?", "My Spring Boot app can't connect to Postgres inside Docker "
            "Compose but works outside. Why?", "The iOS build fails after updating Xcode with "
            "'module compiled with Swift 5.9 cannot be imported'."),
        lit(c, "typing", 0, "How do I type a function that takes a callback in TypeScript?",
            "What's the Python type hint for a dict of string to list of ints?",
            "How do I make a generic type with a constraint in TypeScript?",
            "mypy says 'Item None of Optional[str] has no attribute lower'. How do I fix it?",
            "How do I annotate a decorator so mypy keeps the signature?"),
        lit(c, "snippet-q", 1, "What's wrong here?\n```python\nfor i in range(10):\n"
            "    if i % 2 = 0:\n        print(i)\n```",
            "Why is this slow?\n```python\nresult = ''\nfor word in words:\n"
            "    result += word + ' '\n```",
            "Can this be simplified?\n```javascript\nif (x === true) {\n  return true;\n} "
            "else {\n  return false;\n}\n```",
            "Why does this return undefined?\n```javascript\nfunction getUser() {\n"
            "  fetch('/api/user').then(r => r.json());\n}\n```"),
    ]


def _math() -> list[SeedGroup]:
    m = "math"
    return [
        tpl(m, "arithmetic", 0,
            ("What is {a} \u00d7 {b}?", "{a} * {b} = ?", "quick: {a} times {b}"),
            count=6, a=("17", "48", "125", "399", "12.5"), b=("23", "36", "8", "0.4")),
        tpl(m, "percent", 0, ("What's {p}% of {n}?", "How much is {p} percent of {n}?"),
            count=6, p=("15", "7.5", "120", "33"), n=("80", "2,400", "$59.99", "1,250")),
        lit(m, "percent-change", 0,
            "A jacket went from $80 to $60. What's the percentage decrease?",
            "My salary went up from 42,000 to 46,200. By what percent did it increase?",
            "If a price increases by 20% and then drops by 20%, where does it end up?",
            "The population grew from 1.2 million to 1.5 million. Percentage growth?",
            "What's 18% VAT on a \u20ac340 invoice?"),
        tpl(m, "linear-eq", 0, ("Solve {eq} for x.", "Solve: {eq}", "Find x if {eq}"),
            count=6, eq=("3x + 5 = 20", "7 - 2x = 15", "x/4 + 3 = 11", "5(x - 2) = 3x + 8",
                         "0.5x + 1.2 = 3.7", "2x - 9 = -x + 6")),
        tpl(m, "quadratic", 1, ("Solve {eq}.", "What are the roots of {eq}?",
                                "Find the solutions of {eq} using the quadratic formula"),
            count=5, eq=("x^2 - 5x + 6 = 0", "2x^2 + 3x - 2 = 0", "x^2 + 4x + 5 = 0",
                         "3x^2 = 12x", "x^2 - 2x - 15 = 0")),
        lit(m, "system", 1,
            "Solve the system: 2x + y = 7 and x - y = 2",
            "Find x and y: 3x + 2y = 12, 5x - 4y = 2",
            "Solve for a, b, c: a + b + c = 6, 2a - b + c = 3, a + 2b - c = 2",
            "Two numbers add to 50 and differ by 14. What are they?",
            "Solve simultaneously y = 2x + 1 and y = x^2 - 2"),
        tpl(m, "derivative", 0, ("Differentiate {f}.", "What's the derivative of {f}?",
                                 "d/dx of {f}?"),
            count=7, f=("x^3 - 4x + 1", "sin(x) * e^x", "ln(x^2 + 1)", "sqrt(3x + 2)",
                        "x^2 cos(x)", "e^(2x) / x", "tan(3x)")),
        tpl(m, "integral", 1, ("Integrate {f}.", "Evaluate the integral of {f}.",
                               "What is \u222b {f} dx?"),
            count=6, f=("x^2 from 0 to 3", "x e^x", "1/(x^2 + 1)", "sin^2(x)",
                        "ln(x) from 1 to e", "2x / (x^2 + 4)", "cos(x) e^(sin x)")),
        lit(m, "latex", 1,
            "Evaluate $\\int_0^1 x^2 e^{x}\\,dx$.",
            "Compute $\\lim_{x \\to 0} \\frac{\\sin 3x}{x}$.",
            "Simplify $\\frac{x^2 - 9}{x^2 + 6x + 9}$.",
            "Find $\\sum_{k=1}^{n} k^2$ in closed form.",
            "What is $\\sqrt{50} + \\sqrt{18}$ in simplest form?"),
        tpl(m, "limit", 1, ("Find the limit of {f} as x approaches {a}.",
                            "What is lim x\u2192{a} of {f}?"),
            count=5, f=("(x^2 - 1)/(x - 1)", "(1 + 1/x)^x", "sin(x)/x", "(e^x - 1)/x",
                        "(sqrt(x + 4) - 2)/x"),
            a=("0", "1", "infinity")),
        tpl(m, "proof", 3, ("Prove that {claim}.", "Can you give a rigorous proof that {claim}?",
                            "Show that {claim}."),
            count=8, claim=("there are infinitely many prime numbers", "sqrt(2) is irrational",
                            "the sum of the first n odd numbers is n^2",
                            "every finite group of prime order is cyclic",
                            "n^3 - n is divisible by 6 for every integer n",
                            "the harmonic series diverges",
                            "a bounded monotone sequence converges",
                            "the product of two consecutive integers is even",
                            "there is no largest even number")),
        lit(m, "induction", 3,
            "Use induction to prove 1 + 2 + ... + n = n(n+1)/2.",
            "Prove by induction that 2^n > n^2 for all n >= 5.",
            "Prove by induction that 3^n - 1 is even for all natural numbers n.",
            "Prove that 1/1^2 + 1/2^2 + ... + 1/n^2 <= 2 - 1/n using induction."),
        tpl(m, "probability", 1, ("What is the probability of {event}?",
                                  "Probability question: {event}?"),
            count=6, event=("rolling two sixes with two dice",
                            "getting at least one head in three coin tosses",
                            "drawing two aces in a row from a deck without replacement",
                            "two people in a room of 30 sharing a birthday",
                            "getting exactly 3 heads in 5 fair coin flips",
                            "drawing a red ball first and a blue ball second from a bag "
                            "with 4 red and 6 blue")),
        lit(m, "conditional-prob", 2, prose("""
            A test for a disease is 99% accurate and 1 in 1,000 people have the disease. If I
            test positive, what's the probability that I actually have it?"""),
            prose("""
            Box A has 3 white and 2 black balls, box B has 1 white and 4 black. I pick a box at
            random and draw a white ball. What's the probability it came from box A?"""),
            prose("""
            In a factory, machine X makes 60% of the bolts with a 2% defect rate and machine Y
            makes the rest with a 5% defect rate. A bolt is defective; probability it came from
            Y?"""),
            prose("""
            If P(A) = 0.4, P(B) = 0.5 and P(A and B) = 0.1, find P(A|B) and P(A or B).""")),
        tpl(m, "combinatorics", 1, ("How many ways {what}?", "In how many ways {what}?"),
            count=6, what=("can 8 people sit around a round table",
                           "can you choose a committee of 3 from 10 people",
                           "can the letters of MISSISSIPPI be arranged",
                           "can I pick 5 cards from a 52-card deck so that all are hearts",
                           "can 12 identical sweets be shared among 4 children",
                           "can you climb 10 stairs taking 1 or 2 steps at a time")),
        tpl(m, "word-problem", 1, ("{problem}", "Word problem: {problem}"), count=7, problem=(
            prose("""A train leaves at 9:00 travelling at 80 km/h; a second train leaves the
                  same station at 10:00 at 120 km/h. When does the second catch up?"""),
            prose("""A tank fills in 6 hours with pipe A and 4 hours with pipe B. How long with
                  both open?"""),
            prose("""I invest $5,000 at 4% interest compounded monthly. How much do I have
                  after 10 years?"""),
            prose("""A rectangle's length is 3 cm more than twice its width and its area is
                  65 cm^2. Find its dimensions."""),
            prose("""Tickets cost $12 for adults and $7 for kids. 150 tickets sold for $1,400.
                  How many adult tickets?"""),
            prose("""A car depreciates 15% per year. If it costs $30,000 new, what's it worth
                  after 5 years?"""),
            prose("""Three workers paint a house in 8 days. How many days would 4 workers
                  take at the same rate?"""),
            prose("""A recipe needs 250 g of flour for 12 cookies. How much flour for 30
                  cookies?"""))),
        tpl(m, "geometry", 0, ("{q}",), count=7, q=(
            "Find the area of a triangle with sides 5, 12 and 13.",
            "What's the volume of a cylinder with radius 3 cm and height 10 cm?",
            "What's the hypotenuse of a right triangle with legs 6 and 8?",
            "Area of a circle with diameter 14 m?",
            "What's the sum of the interior angles of a hexagon?",
            "Perimeter of a rectangle that is 7.5 by 3.2 m?",
            "What's the surface area of a sphere with radius 5?",
            "Find the distance between the points (2, -1) and (7, 11).")),
        lit(m, "geometry-hard", 2,
            "A ladder 10 m long leans against a wall and its foot slides away at 1 m/s. How fast "
            "is the top sliding down when the foot is 6 m from the wall?",
            "Find the area enclosed between y = x^2 and y = 2x + 3.",
            "A cone has slant height 13 and radius 5. Find its volume and total surface area.",
            "Find the equation of the circle through (1, 2), (3, 4) and (5, 2)."),
        tpl(m, "linear-algebra", 1, ("{q}",), count=6, q=(
            "Compute the eigenvalues and eigenvectors of [[2, 1], [1, 2]].",
            "Find the determinant of [[1, 2, 3], [0, 4, 5], [1, 0, 6]].",
            "Invert the matrix [[4, 7], [2, 6]].",
            "Multiply [[1, 2], [3, 4]] by [[0, 1], [1, 0]].",
            "What is the rank of [[1, 2, 3], [2, 4, 6], [1, 1, 1]]?",
            "Are the vectors (1, 2, 3), (4, 5, 6) and (7, 8, 9) linearly independent?",
            "Diagonalise A = [[3, 1], [0, 2]] if possible.")),
        tpl(m, "statistics", 0, ("{q}",), count=6, q=(
            "What's the mean, median and mode of 4, 8, 8, 15, 16, 23, 42?",
            "Standard deviation of 2, 4, 4, 4, 5, 5, 7, 9?",
            "My test scores are 72, 85, 90 and 78. What do I need on the fifth to average 82?",
            "What's the variance of a fair six-sided die?",
            "Find the z-score of 130 if the mean is 100 and the standard deviation is 15.",
            "What's the weighted average of 80 (weight 0.3), 90 (0.5) and 70 (0.2)?")),
        tpl(m, "number-theory", 0, ("{q}",), count=6, q=(
            "What is the GCD of 84 and 126?", "LCM of 12, 18 and 30?",
            "Is 221 a prime number?", "What's 7^100 mod 13?",
            "What are the prime factors of 360?", "What's 13 factorial?",
            "What's the last digit of 3^2025?")),
        lit(m, "series", 2,
            "Does the series sum of 1/(n ln n) from n = 2 converge or diverge?",
            "Find the radius of convergence of sum x^n / (n 3^n).",
            "Find the Taylor series of ln(1 + x) around 0 up to x^4.",
            "What's the sum of the geometric series 3 + 1 + 1/3 + 1/9 + ...?",
            "Use the ratio test on the sum of n! / n^n."),
        lit(m, "ode", 3,
            "Solve y'' + 4y = sin(2x) step by step.",
            "Solve the differential equation dy/dx = xy with y(0) = 2, showing your working.",
            "Find the general solution of y'' - 3y' + 2y = e^(3x), explaining each step.",
            "Solve the logistic equation dP/dt = 0.3P(1 - P/500) with P(0) = 50, step by step."),
        lit(m, "conversions", 0, "How many seconds are in a week?",
            "Convert 72 degrees Fahrenheit to Celsius.",
            "How many square feet is 45 square metres?",
            "If I drive 340 km on 28 litres, what's my fuel consumption per 100 km?",
            "How many minutes is 2.35 hours?"),
        lit(m, "check-work", 1, prose("""
            I solved 2x^2 - 8 = 0 and got x = 2 only. My teacher marked it wrong. What did I
            miss?"""),
            "Is d/dx of x^x equal to x * x^(x-1)? That's what I got.",
            "I calculated the integral of 1/x from 1 to 4 as 0.75. Can you check it?",
            "Check my answer: the probability of two heads in two flips is 1/2?"),
        lit(m, "optimisation", 2,
            "Maximise the area of a rectangle with perimeter 40 m using calculus.",
            "A box with a square base and no lid must hold 32,000 cm^3. Find the dimensions "
            "that minimise the material.",
            "Find the minimum of f(x, y) = x^2 + y^2 subject to x + 2y = 5 with Lagrange "
            "multipliers.",
            "Find the local maxima and minima of f(x) = x^3 - 6x^2 + 9x + 1."),
        lit(m, "abstract", 3, prose("""
            Let G be a group in which every element has order at most 2. Prove that G is
            abelian, and give an example of such a group of order 8."""),
            prose("""
            Prove that every continuous function on a closed interval [a, b] is bounded and
            attains its maximum."""),
            prose("""
            Show that the set of rational numbers is countable but the set of real numbers is
            not."""),
            prose("""
            Prove that a linear map between finite-dimensional spaces of the same dimension is
            injective if and only if it is surjective.""")),
        lit(m, "money", 0, "If I split a $186 bill between 4 people with a 15% tip, how much "
            "does each pay?", "How much is a 30-year $300,000 mortgage per month at 6.5%?",
            "I earn $28 an hour and work 37.5 hours a week. What's that per year?",
            "A loan of \u20ac12,000 at 5% simple interest for 3 years: total repaid?",
            "How long does it take to double my money at 7% a year?"),
        lit(m, "counting", 1, "How many different 4-digit PIN codes have no repeated digits?",
            "How many handshakes happen if 20 people each shake hands once?",
            "How many diagonals does a decagon have?",
            "How many subsets does a set of 7 elements have?",
            "In how many orders can 6 runners finish a race if there are no ties?",
            "How many 5-letter strings can you make from A-Z if letters can repeat?"),
        lit(m, "binomial", 1, "What's the coefficient of x^3 in (2x + 1)^6?",
            "Expand (a - b)^4.", "Compute C(12, 5).",
            "Use the binomial theorem to approximate 1.02^10.",
            "What's the sum of the coefficients of (3x - 2)^5?"),
        lit(m, "expected-value", 1, "What's the expected value of rolling a fair die twice and "
            "adding the results?", "A lottery ticket costs $2 and pays $500 with probability "
            "1/400. What's the expected profit?", "What's the expected number of coin flips "
            "until the first head?", "If X ~ Binomial(10, 0.3), what are its mean and "
            "variance?", "Expected number of sixes in 60 rolls of a die?"),
        lit(m, "distributions", 1, "If heights are normal with mean 170 cm and sd 8 cm, what "
            "fraction of people are taller than 186 cm?", "A call centre gets 4 calls per "
            "minute on average. Probability of exactly 6 calls in a minute (Poisson)?",
            "Compute a 95% confidence interval for a mean of 52 with sd 10 and n = 25.",
            "What's P(Z < 1.96) for a standard normal?", "For an exponential distribution "
            "with rate 0.5, what's P(X > 3)?"),
        lit(m, "proof-2", 3, "Prove that the square root of 3 is irrational.",
            "Prove that the angles of a triangle add up to 180 degrees.",
            "Prove that there are infinitely many primes of the form 4k + 3.",
            "Prove the AM-GM inequality for two positive numbers.",
            "Prove that every tree with n vertices has n - 1 edges.",
            "Prove that the composition of two injective functions is injective."),
        lit(m, "proof-3", 3, "Give a proof that e is irrational.",
            "Can you prove the Pythagorean theorem?", "How would you prove that 0.999... = 1 "
            "rigorously?", "Prove the triangle inequality for real numbers.",
            "Prove that the set of primes is infinite using Euler's product, in detail."),
        lit(m, "algebra-simplify", 0, "Simplify (3x^2 y)(4x y^3).", "Factor x^2 - 9.",
            "Expand (x + 3)(x - 5).", "Simplify 2(3a - 4) - 5(a + 1).",
            "Factor 6x^2 + 11x - 10.", "Simplify (x^6 / x^2)^3."),
        lit(m, "inequalities", 1, "Solve 3x - 7 > 11.", "Solve |2x - 3| <= 5.",
            "For which x is x^2 - 4x - 5 < 0?", "Solve (x - 1)/(x + 2) >= 0.",
            "Solve the inequality 5 - 2x <= 3x + 20."),
        lit(m, "functions", 1, "Find the inverse of f(x) = (2x + 1)/(x - 3).",
            "What's the domain of f(x) = sqrt(5 - x) / (x + 2)?",
            "If f(x) = x^2 + 1 and g(x) = 2x - 3, find f(g(x)).",
            "Find the vertex of y = 2x^2 - 8x + 3.", "Is f(x) = x^3 - x even, odd or neither?"),
        lit(m, "logs-exponents", 0, "Solve 2^x = 32.", "What is log base 3 of 81?",
            "Solve e^(2x) = 7.", "Simplify log(8) + log(125).", "Solve 5^(x+1) = 125.",
            "What is ln(e^5)?"),
        lit(m, "trig", 0, "What is sin(30 degrees)?", "Solve 2cos(x) = 1 for 0 <= x < 2pi.",
            "Convert 135 degrees to radians.", "What is cos(60 degrees) as a fraction?", "What"
            "'s tan(pi/4)?", "Find all x in [0, 360) with sin x = -0.5."),
        lit(m, "sequences", 1, "Find the 20th term of the arithmetic sequence 3, 7, 11, ...",
            "What's the sum of the first 100 positive integers?", "Find the sum of the "
            "geometric series 2 + 6 + 18 + ... + 1458.", "The 3rd term of a geometric sequence "
            "is 12 and the 6th is 96. Find the first term and ratio.",
            "Find a formula for the n-th term of 1, 4, 9, 16, 25, ..."),
        lit(m, "vectors", 1, "Find the angle between the vectors (1, 2, 2) and (2, 0, 1).",
            "Compute the cross product of (1, 0, 2) and (3, -1, 1).",
            "Project the vector (3, 4) onto (1, 0).", "Find a unit vector in the direction of "
            "(2, -2, 1).", "Find the equation of the plane through (1, 1, 1) with normal "
            "(2, -1, 3)."),
        lit(m, "multivariable", 2, "Find the partial derivatives of f(x, y) = x^2 y + e^(xy).",
            "Compute the double integral of x y over the square [0, 1] x [0, 2].",
            "Find the gradient of f(x, y, z) = x y z at (1, 2, 3).",
            "Evaluate the triple integral of 1 over the unit ball using spherical "
            "coordinates.", "Find the critical points of f(x, y) = x^3 - 3xy + y^3."),
        lit(m, "arithmetic-2", 0, "What's 3/4 + 5/6?", "Divide 7.2 by 0.06.",
            "What's 15 squared?", "Round 3.14159 to two decimal places.",
            "What is 2 to the power of 10?", "What's the square root of 1,764?"),
        lit(m, "rates", 1, "If 3 machines make 300 parts in 5 hours, how many parts do 5 "
            "machines make in 8 hours?", "A cyclist rides 36 km in 1 h 20 min. What's the "
            "average speed in km/h?", "Mixing 2 litres of 30% juice with 3 litres of 60% juice"
            " gives what concentration?", "If a tap drips 12 ml a minute, how many litres is "
            "that a year?", "A plane flies 900 km with the wind in 2 h and back in 2.5 h. Find "
            "the wind speed."),
        lit(m, "proof-heavy-long", 3, prose("""
            Let (a_n) be defined by a_1 = 1 and a_(n+1) = sqrt(2 + a_n). Prove that the
            sequence is increasing and bounded above by 2, deduce that it converges, and find
            its limit. Show every step."""),
            prose("""
            Prove that for every positive integer n, the number 7^n - 1 is divisible by 6, then
            generalise: for which integers k is k^n - 1 always divisible by k - 1? Prove your
            claim."""),
            prose("""
            Let f be differentiable on R with |f'(x)| <= 1/2 for all x. Prove that f has
            exactly one fixed point, and show that iterating f from any start converges to it.
            """)),
        lit(m, "show-that", 3, "Show that the function f(x) = x^3 + x is injective.",
            "Show that the sum of two even numbers is always even, formally.",
            "Demonstrate that the diagonals of a parallelogram bisect each other.",
            "Show that log2(3) is irrational.", "Show that every integer greater than 1 has a "
            "prime factorisation."),
        lit(m, "word-problems-2", 1, "If 5 apples cost $3.50, how much do 12 apples cost?",
            "Sarah is twice as old as Tom. In 5 years their ages will add up to 40. How old "
            "are they now?", "A shop sells pens at 3 for $2. How many pens can I buy with "
            "$15?", "A swimming pool holds 50,000 litres and drains at 250 litres a minute. "
            "How long to empty it?", "Jo reads 30 pages an hour. How long will a 420-page "
            "book take at 2 hours a day?", "A rope 24 m long is cut in the ratio 3:5. How "
            "long is each piece?"),
        lit(m, "age-mixture", 1, "The sum of three consecutive integers is 96. What are they?",
            "A number doubled and increased by 7 gives 43. What's the number?",
            "How much water must be added to 10 litres of 40% saline to make it 25%?",
            "Two cars start 300 km apart and drive towards each other at 70 and 80 km/h. When "
            "do they meet?", "A father is 4 times as old as his son; in 20 years he'll be "
            "twice as old. Find their ages."),
        lit(m, "calc-quick", 0, "Derivative of x^5?", "Integral of 1/x?", "What's the slope of "
            "y = 3x - 7?", "What's the derivative of e^x?", "Anti-derivative of cos(x)?",
            "Second derivative of x^4 - 2x?"),
        lit(m, "prob-quick", 0, "Odds of flipping heads 5 times in a row?", "Chance of rolling "
            "a 7 with two dice?", "Probability of drawing a heart from a deck?",
            "If I guess randomly on 4 multiple-choice options, what's my chance of getting it "
            "right?", "Probability that a random card is a face card?"),
        lit(m, "percent-2", 0, "What percent is 45 of 180?", "Increase 250 by 12%.",
            "A $120 item is 35% off. What's the sale price?",
            "If 40% of a number is 28, what's the number?",
            "What's the percentage difference between 80 and 100?"),
    ]


def _reasoning() -> list[SeedGroup]:
    r = "reasoning"
    return [
        tpl(r, "why-nature", 0, ("Why {q}?", "Can you explain why {q}?"), count=8, q=(
            "is the sky blue", "does ice float on water", "do we have seasons",
            "do cats purr", "does bread go stale", "do onions make you cry",
            "is the ocean salty but rivers are not", "do leaves change colour in autumn",
            "does a spoon in a glass of water look bent")),
        tpl(r, "why-society", 1, ("Why {q}?", "What's the reasoning behind why {q}?"), count=6,
            q=("did the Roman Empire fall", "do housing prices keep rising in big cities",
               "did the 2008 financial crisis happen", "do some countries drive on the left",
               "are airline tickets cheaper when booked early",
               "do people believe conspiracy theories",
               "did the Industrial Revolution start in Britain")),
        lit(r, "syllogism", 1,
            "If all bloops are razzies and all razzies are lazzies, are all bloops lazzies?",
            "All mammals breathe air. Whales breathe air. Does it follow that whales are "
            "mammals?",
            "Some doctors are runners and all runners are early risers. Must some doctors be "
            "early risers?",
            "No reptiles have fur. Some pets are reptiles. What can we conclude?",
            "If it rains the match is cancelled. The match was cancelled. Did it rain?",
            "Every student who passed studied. Tom didn't study. What follows about Tom?"),
        lit(r, "knights", 3, prose("""
            On an island, knights always tell the truth and knaves always lie. A says 'B is a
            knave.' B says 'A and I are the same kind.' What are A and B? Walk me through it."""),
            prose("""
            Three boxes are labelled apples, oranges and mixed, and every label is wrong. You
            may take one fruit from one box. How do you relabel them all correctly?"""),
            prose("""
            Five houses in a row, each a different colour. The green house is immediately left
            of the white one, the Brit lives in the red one, the Swede keeps dogs... Solve this
            kind of puzzle step by step and explain the deductions."""),
            prose("""
            Alice, Bob and Carol each have a different pet: cat, dog, fish. Alice is allergic
            to fur, Bob's pet doesn't live in water and Carol hates cats. Who has which pet,
            and how do you know?"""),
            prose("""
            A farmer must cross a river with a wolf, a goat and a cabbage. The boat carries
            him and one item. The wolf can't be left with the goat or the goat with the
            cabbage. How does he do it, and why is that the only way?""")),
        lit(r, "riddle", 0, "What has keys but can't open locks?",
            "Which weighs more, a kilo of feathers or a kilo of steel?",
            "A man pushes his car to a hotel and tells the owner he's bankrupt. Why?",
            "What gets wetter the more it dries?",
            "If you have me, you want to share me; if you share me, you don't have me. "
            "What am I?",
            "Mary's father has five daughters: Nana, Nene, Nini, Nono. Who's the fifth?"),
        # Paired slots: independent ones made pairs like "a Roth IRA vs a hybrid".
        tpl(r, "compare", 1,
            ("Compare {pair} for {context}.", "For {context}, what are the real trade-offs "
             "between {pair}? Which makes more sense and why?"),
            count=7, pair=("renting and buying a home", "an electric car and a hybrid",
                           "a Roth IRA and a traditional IRA",
                           "learning Spanish and learning Mandarin",
                           "a gym membership and working out at home"),
            context=("someone in their late twenties", "a family of four",
                     "someone on a tight budget", "a person planning ten years ahead")),
        lit(r, "tradeoffs-tech", 1,
            "Compare microservices and monoliths: what are the trade-offs?",
            "What are the pros and cons of a four-day work week for a small startup?",
            "SQL or NoSQL for a new product where we don't know the access patterns yet? "
            "Talk me through the trade-offs.",
            "Is it better to build our own analytics pipeline or buy a SaaS tool? Weigh it up.",
            "What are the advantages and disadvantages of open-plan offices?"),
        tpl(r, "should-i", 1, ("Should I {choice}? {context}",), count=7,
            choice=("take the higher-paying job or stay where I'm learning more",
                    "pay off my student loan early or invest the money",
                    "go back to university or keep working and study part-time",
                    "move to Berlin or stay in London near family",
                    "hire one senior engineer or two juniors"),
            context=("Help me think it through.", "I keep going back and forth.",
                     "What factors should decide it?")),
        tpl(r, "what-if", 1, ("What would happen if {x}?", "Suppose {x}. What are the "
                                                           "consequences?"),
            count=7, x=("the moon disappeared", "everyone on Earth jumped at the same time",
                        "the internet went down worldwide for a week",
                        "humans no longer needed sleep", "bees went extinct",
                        "a city made public transport completely free",
                        "the minimum wage doubled overnight",
                        "it never rained again in California")),
        tpl(r, "evaluate-argument", 1, ("Is this argument valid? \"{arg}\"",
                                        "What's wrong with this reasoning: \"{arg}\""),
            count=6, arg=(
                "Crime went up after the new mayor took office, so the mayor caused it.",
                "Everyone I know loves this phone, so it must be the best one on the market.",
                "If we allow students to redo one exam, soon nobody will study at all.",
                "He's not a scientist, so his argument about climate must be wrong.",
                "Countries with more chocolate consumption win more Nobel prizes, so "
                "chocolate makes you smarter.",
                "We've always done it this way and it worked, so there's no reason to change.",
                "You can't prove ghosts don't exist, so they probably do.")),
        lit(r, "fallacy", 0, "What's the difference between correlation and causation?",
            "What is a strawman argument? Give an example.",
            "What's the sunk cost fallacy and how do I avoid it?",
            "Explain survivorship bias with an example.",
            "What's the gambler's fallacy?"),
        tpl(r, "root-cause", 2, prose("""
            {symptom} {context} What could explain it, and how would we figure out which
            explanation is right?"""),
            count=6, symptom=("Our sales dropped 20% the month after we redesigned the "
                              "website.", "Sign-ups doubled last week but revenue didn't move.",
                              "Customer complaints tripled after we moved support in-house.",
                              "Our best team's output fell sharply this quarter."),
            context=("Nothing else obvious changed.",
                     "Marketing says it's seasonal but I'm not convinced.",
                     "Traffic stayed the same.")),
        lit(r, "fermi", 2, "Estimate how many piano tuners there are in Chicago. Show your "
            "reasoning.", "Roughly how many golf balls would fit in a school bus? Reason it "
            "out.", "How many litres of coffee are drunk in Paris every day? Walk me "
            "through an estimate.", "Estimate how many windows there are in New York City.",
            "About how many people are on a plane at any given moment? Explain your "
            "assumptions."),
        tpl(r, "explain-process", 2,
            ("Explain step by step how {process}.", "Walk me through how {process}."),
            count=6, process=("a bill becomes a law in the US", "vaccines train the immune "
                                                                 "system",
                              "a central bank raising rates slows inflation",
                              "a jury reaches a verdict", "an airplane wing generates lift",
                              "the body regulates blood sugar")),
        lit(r, "ethics", 2, prose("""
            Is it ethical for a self-driving car to be programmed to protect its passengers
            over pedestrians? Lay out the strongest arguments on each side."""),
            prose("""
            A friend asks you to cover for them by lying to their partner. Is it ever right to
            lie for a friend? Reason it through."""),
            prose("""
            Should companies be allowed to monitor employees' keystrokes when they work from
            home? Weigh privacy against accountability."""),
            prose("""
            Is it fair to use AI-generated art in a competition? Consider the artists, the
            organisers and the audience."""),
            "Is it wrong to eat meat if you could easily live without it? Argue both sides."),
        lit(r, "planning-puzzle", 3, prose("""
            I have four meetings to fit into Tuesday: the 1-hour design review must be before
            lunch, the client call can only be at 14:00 or 16:00, the 1:1 can't be right after
            the client call, and I need a 2-hour focus block in the morning. My day runs 9 to
            17 with lunch at 12. Find a schedule that works and explain your reasoning."""),
            prose("""
            Our team of three engineers has five features to ship in six weeks. A takes 3
            weeks, B 2, C 4, D 1 and E 2; C depends on A, and only one person can work on each
            feature. Which features should we commit to and in what order? Think it through
            step by step."""),
            prose("""
            Four people must cross a bridge at night with one torch; at most two cross at a
            time at the slower person's pace. They take 1, 2, 5 and 10 minutes. Can they all
            cross in 17 minutes? Explain why your plan is optimal."""),
            prose("""
            We're seating 8 wedding guests at two tables. Ann and Ben must sit together, Cara
            can't sit with Dan, Eve wants to be with either Fay or Gus, and Hal must not be at
            Ben's table. Is there a valid arrangement? Reason through it carefully.""")),
        lit(r, "history-analysis", 2,
            "What were the main causes of World War I, and which mattered most?",
            "Analyze why the Soviet Union collapsed so quickly in 1991.",
            "Was the printing press or the steam engine more important for modern Europe? "
            "Justify your answer.",
            "Why did some colonies gain independence peacefully while others fought wars?",
            "Evaluate whether the Marshall Plan was mainly about generosity or strategy."),
        lit(r, "interpret-data", 2, prose("""
            Our A/B test ran for 10 days: variant B had a 4.1% conversion rate versus 3.8% for
            A, with about 5,000 users each. Is B really better, or could this be noise? What
            would you check before deciding?"""),
            prose("""
            Hospital A has a higher death rate than hospital B, yet for every type of patient
            A does better. How can both be true?"""),
            prose("""
            A study finds that people who drink coffee live longer. What are the possible
            explanations besides coffee being healthy?"""),
            prose("""
            Ice cream sales and drowning deaths rise and fall together. Explain what is going
            on and how you would show it.""")),
        lit(r, "counterfactual-advice", 1, prose("""
            My landlord wants to raise the rent by 15%, and a similar flat nearby costs 10%
            more than I pay now but is farther from work. Think through whether I should
            negotiate, move or accept."""),
            prose("""
            We have budget for either a new website or a second salesperson this year. What
            questions should decide it, and what would you lean towards?"""),
            prose("""
            I'm choosing between two offers: a stable corporate job and an early-stage startup
            with equity. What should I weigh, and how?"""),
            prose("""
            Is it smarter to fix my old car for $2,000 or put that money towards a new
            one?""")),
        lit(r, "science-explain", 1,
            "How does a refrigerator keep things cold if it uses electricity that makes heat?",
            "Explain how GPS knows where I am.", "How can a heavy ship float?",
            "How do noise-cancelling headphones actually cancel noise?",
            "Explain how antibiotics stop working over time.",
            "How come we can see stars that may no longer exist?"),
        lit(r, "lateral", 1, prose("""
            If a rooster lays an egg on the peak of a roof, which side does it roll down?
            Explain the trick."""),
            "Is the statement 'this sentence is false' true or false? Explain the paradox.",
            "If you overtake the person in second place in a race, what place are you in?",
            "A bat and a ball cost $1.10 together and the bat costs $1 more than the ball. Why "
            "do most people get the ball's price wrong?",
            "Why is the Monty Hall switch strategy better? My intuition says 50/50."),
        lit(r, "policy", 2, prose("""
            Would a congestion charge reduce traffic in a mid-sized city like Leeds, or just
            push it elsewhere? Assess the likely effects."""),
            prose("""
            What are the likely consequences of banning smartphones in secondary schools?
            Consider learning, safety and enforcement."""),
            prose("""
            Should a country with an ageing population raise the retirement age or increase
            immigration? Compare the implications."""),
            prose("""
            Evaluate the argument that rent control makes housing shortages worse.""")),
        lit(r, "whodunit", 2, prose("""
            The cookie jar was full at noon and empty at three. Sam was at football from 1 to
            4, Lily says she saw Max in the kitchen at 2, and Max says he was napping until 3.
            The dog can't reach the counter. Who most likely took the cookies, and why?"""),
            prose("""
            Three suspects: the gardener says the butler did it, the butler says he didn't,
            the cook says the gardener is lying. Exactly one of them tells the truth. Who is
            guilty?"""),
            prose("""
            A window was broken from the inside, the snow outside shows only one set of
            footprints leading to the house, and the back door was locked. What does that tell
            you about what happened?"""),
            "Who is lying? Ann says Bea lies, Bea says Cal lies, Cal says Ann and Bea both lie."),
        lit(r, "analogy", 0, "Doctor is to hospital as teacher is to what? Why?",
            "What's the odd one out: apple, banana, carrot, cherry? Explain.",
            "Explain the analogy between a cell membrane and a security guard.",
            "Why is a credit score a bit like a reputation?",
            "In what ways is the brain like a computer, and where does the comparison break "
            "down?"),
        lit(r, "uncertain-decision", 2, prose("""
            A vaccine trial shows a 90% reduction in cases but a rare side effect in 1 in
            100,000 people. How should a health agency reason about approving it?"""),
            prose("""
            There's a 30% chance of rain on our outdoor wedding day and a tent costs $4,000.
            How should we think about whether to rent it?"""),
            prose("""
            A startup can spend its last $200k on a risky product pivot or on marketing the
            current product. How would you reason through the bet?"""),
            prose("""
            If an insurance policy costs more than my expected loss, why might buying it still
            be rational?""")),
        lit(r, "why-body", 0, "Why do we yawn?", "Why do we get goosebumps?",
            "Why does my stomach growl when I'm hungry?", "Why do we get brain freeze from "
            "ice cream?", "Why do fingers wrinkle in the bath?", "Why do we dream?"),
        lit(r, "why-tech-world", 1, "Why do phone batteries degrade over time?",
            "Why do planes fly so high?", "Why are manhole covers round?",
            "Why do some bridges sway in the wind?", "Why is it colder at the top of a mountain"
            " when it's closer to the sun?", "Why do prices end in .99?"),
        lit(r, "how-come", 1, "How come hot water sometimes freezes faster than cold?",
            "How is it possible that the universe has no centre?",
            "How can birds sit on power lines without getting electrocuted?",
            "How do we know the Earth is 4.5 billion years old?",
            "How can a tiny seed grow into a huge tree? Where does the mass come from?"),
        lit(r, "estimate-2", 2, "How many footballs would fit inside a jumbo jet? Estimate it "
            "step by step.", "Estimate how much water a city of one million people uses per "
            "day, and explain each assumption.", "Roughly how many words does a person speak "
            "in a lifetime? Reason it out.", "How many pizzas are eaten in the US each day? "
            "Give a back-of-the-envelope estimate.", "Estimate the number of trees in a typical"
            " national park. Walk me through your logic."),
        lit(r, "diagnose-situation", 2, prose("""
            My sourdough starter was bubbly for weeks but now barely rises, even though I feed
            it the same way. What are the possible reasons, and how would I test each one?"""),
            prose("""
            Our website traffic from Google halved overnight, but paid traffic is unchanged.
            List the likely causes and how you'd narrow it down."""),
            prose("""
            My houseplant's leaves are turning yellow from the bottom up. Reason through what
            could be wrong and what to check first."""),
            prose("""
            Students did better on the online exam than any previous in-person one. What could
            explain the jump, and how would you tell which explanation is right?"""),
            prose("""
            Our team's sprint velocity dropped 30% after we added two new engineers. Why might
            that happen, and is it a problem?""")),
        lit(r, "decide-business", 2, prose("""
            We run a small bakery. A supermarket wants to stock our bread at a 40% discount on
            our shop price, for 500 loaves a week. Help me think through whether to accept."""),
            prose("""
            Should our startup raise prices by 20% or keep them and focus on volume? We have
            1,200 customers and churn is low. Lay out the reasoning."""),
            prose("""
            Our biggest client wants exclusivity in exchange for a three-year contract. What
            are the risks and benefits, and how should we decide?"""),
            prose("""
            Is it wise to open a second café location in the same town or invest in delivery?
            Consider the likely outcomes of each."""),
            prose("""
            We can either fix technical debt for a quarter or ship the feature sales keeps
            asking for. How should we reason about this choice?""")),
        lit(r, "logic-short", 1, "If no cats are dogs and some pets are cats, can we conclude "
            "that some pets are not dogs?", "Tom is taller than Ana, Ana is taller than Raj. "
            "Who is the shortest, and how do you know?", "If today is Wednesday, what day "
            "was it 100 days ago? Reason it through.", "Three friends each lie or tell the "
            "truth. A says B lies. B says C lies. C says A and B both lie. Who tells the "
            "truth?", "If the statement 'all swans are white' is false, what must be true?"),
        lit(r, "puzzles-2", 3, prose("""
            You have 12 coins, one of which is counterfeit and either heavier or lighter. With
            a balance scale and only three weighings, how do you find it and tell whether it is
            heavier or lighter? Explain the full strategy."""),
            prose("""
            Two guards stand at two doors, one to freedom and one to doom. One guard always
            lies, the other always tells the truth, and you may ask one question. What do you
            ask, and why does it work?"""),
            prose("""
            100 prisoners each get a hat, red or blue, and stand in a line seeing only those in
            front. Starting from the back, each guesses their hat colour. What strategy saves
            at least 99 of them? Prove it works."""),
            prose("""
            You have a 3-litre jug and a 5-litre jug and unlimited water. How do you measure
            exactly 4 litres? Show each step and explain why it works.""")),
        lit(r, "history-why", 2, "Why did the Titanic sink despite being called unsinkable?",
            "Why was the Black Death so deadly in the 14th century?",
            "What led to the fall of the Berlin Wall, and why then?",
            "Why did the Ottoman Empire decline?", "Why did Prohibition fail in the US?"),
        lit(r, "compare-2", 1, "Which is better for the environment: paper bags or plastic "
            "bags? Explain.", "Trains or planes for a 600 km trip in Europe, considering time, "
            "cost and emissions?", "Is it better to study in the morning or at night? What does"
            " the evidence say?", "Electric scooters versus bikes for a city commute: how do "
            "they compare?", "Index funds or picking individual stocks for a beginner? Reason "
            "about it."),
        lit(r, "argue", 2, "Make the strongest case for and against a universal basic income.",
            "Steelman the argument that social media has been good for democracy.",
            "Critique the claim that remote work always lowers productivity.",
            "Assess whether standardized testing is a fair way to admit students.",
            "Give me the best argument against your own view on nuclear power."),
        lit(r, "implications", 1, "What are the implications of self-driving trucks for "
            "truck drivers and small towns?", "If lab-grown meat becomes cheaper than real "
            "meat, what might change?", "What are the knock-on effects of a four-day school "
            "week?", "What happens to a city's economy when a big factory closes?",
            "What would be the consequences of abolishing daylight saving time?"),
        lit(r, "explain-concept", 1, "Explain the prisoner's dilemma and why it matters.",
            "Explain opportunity cost with an everyday example.",
            "Explain why correlation doesn't imply causation, with an example.",
            "Explain the tragedy of the commons.", "Explain why the Monty Hall problem "
            "confuses people.", "What is Occam's razor and when does it mislead?"),
        lit(r, "plan-reason", 2, prose("""
            I have three exams next week (maths Monday, history Wednesday, biology Friday),
            work shifts on Tuesday and Thursday evenings, and I'm weakest at biology. How should
            I split my study time? Reason it out."""),
            prose("""
            We need to move house, start new jobs and enrol the kids in school, all within six
            weeks. What order should we do things in, and why?"""),
            prose("""
            I can either pay off a credit card at 22% or a car loan at 6%, with $300 extra a
            month. Which first, and why? What if the car loan is much larger?""")),
        lit(r, "root-cause-2", 2, prose("""
            Since we switched to a new supplier, returns of our shoes went up from 3% to 9%.
            The design didn't change. What might be going on, and what data would confirm
            it?"""),
            prose("""
            App store ratings fell from 4.6 to 3.9 after our last release, but crash rates
            are flat. What could explain that, and how would you investigate?"""),
            prose("""
            Our restaurant is full on weekends but revenue per table has dropped this year.
            Think through the possible reasons."""),
            prose("""
            Employee turnover doubled in one department while the rest of the company is
            stable. What hypotheses would you consider and how would you test them?""")),
        lit(r, "compare-3", 1, "Which is the smarter first car: a used Toyota or a new budget "
            "car? Weigh it up.", "Public school or private school: what should parents "
            "actually consider?", "Is it better to learn piano or guitar as an adult "
            "beginner, and why?", "Freelancing vs a full-time job for a designer with two "
            "years' experience: what are the trade-offs?", "Living alone versus with "
            "roommates in your twenties: pros and cons?"),
        lit(r, "riddles-2", 0, "I speak without a mouth and hear without ears. What am I?",
            "What can travel around the world while staying in a corner?",
            "The more you take, the more you leave behind. What are they?",
            "What has a head and a tail but no body?", "A man looks at a portrait and says "
            "'Brothers and sisters I have none, but that man's father is my father's son.' Who "
            "is in the portrait?"),
        lit(r, "explain-process-2", 2, "Explain in detail how the stock market sets a price.",
            "How does the immune system tell friend from foe? Walk me through it.",
            "Explain step by step how a court case moves from arrest to verdict.",
            "Walk me through how a hurricane forms.", "Explain how inflation erodes savings, "
            "step by step."),
        lit(r, "analysis-2", 2, "Analyze the reasons the Roman Republic became an empire.",
            "Why did the dot-com bubble burst? Analyze the main factors.",
            "Assess the main reasons Brexit happened.", "What explains Japan's long economic "
            "stagnation after 1990?", "Evaluate the causes of the 1929 stock market crash."),
        lit(r, "reason-social", 1, "Why do people procrastinate even when they know it hurts "
            "them?", "Why do some habits stick and others don't?", "Why do people trust "
            "online reviews from strangers?", "Why do teams sometimes make worse decisions "
            "than individuals?", "Why do people overpay at auctions?"),
        lit(r, "thought-experiments", 2, prose("""
            If you replace every plank of a ship one by one, is it still the same ship? What
            if you rebuild the old planks into a second ship? Reason through it."""),
            "Is it possible to know anything for certain? Reason it out.",
            "If a tree falls in a forest and no one hears it, does it make a sound? Analyze "
            "the question carefully.", prose("""
            Could a perfectly accurate prediction of your choices coexist with free will?
            Think it through.""")),
    ]


# Hand-written articles, four paragraphs each: one paragraph is a short passage, two a
# medium one, all four a long document.
_ARTICLES: dict[str, tuple[str, ...]] = {
    "postmortem": tuple(prose(p) for p in ("""
        At 14:02 UTC on 3 March the primary PostgreSQL cluster for the orders service stopped
        accepting writes. A routine migration added a NOT NULL column with a default to the
        400-million-row orders table, which on our version rewrote the whole table while
        holding an exclusive lock. Checkout requests queued behind the lock, the connection pool
        filled within ninety seconds, and the API began returning 503s to every customer.""", """
        The on-call engineer was paged at 14:05, but the dashboards showed healthy CPU and disk,
        so the first twenty minutes went into ruling out a network partition. At 14:27 a
        database engineer spotted the long-running ALTER TABLE in pg_stat_activity. Cancelling
        it released the lock, but the rollback itself took another eleven minutes.""", """
        Service was fully restored at 14:41. About 18,000 checkout attempts failed; roughly 60
        percent of those customers retried successfully within the hour. No data was lost.
        Support received 1,240 tickets, and the outage was mentioned by two trade blogs.""", """
        Follow-up actions: migrations that rewrite large tables must now go through the online
        schema-change tool; the deploy pipeline will refuse any migration that takes an
        exclusive lock on a table above ten million rows; and lock-wait time is being added to
        the on-call dashboard. We will also rehearse the rollback procedure every quarter.""")),
    "bike-lanes": tuple(prose(p) for p in ("""
        After a four-hour meeting that ran past midnight, the Riverton city council voted 7-4
        on Tuesday to build protected bike lanes along Harbor Avenue, the city's busiest
        commercial street. The plan removes 140 of the street's 310 parking spaces and narrows
        the road from four lanes to two, with turning lanes at major intersections.""", """
        Supporters, including the local cycling coalition and several parents from nearby
        schools, pointed to three cyclist deaths on the avenue in the last five years. Council
        member Ana Ruiz said the vote was about whether the city was willing to trade a few
        parking spots for people's lives.""", """
        Business owners were divided. The merchants' association warned that losing parking
        could cut foot traffic by up to a fifth, citing a survey of its members. But a caf\u00e9
        owner who testified said most of her customers already arrive on foot or by bus, and
        that wider pavements would let her add outdoor seating.""", """
        Construction is expected to start next spring and cost $6.8 million, two-thirds of it
        covered by a state transport grant. The council also asked staff to return within a
        year with data on traffic speeds, collisions and sales-tax receipts along the corridor
        so the decision can be reviewed.""")),
    "sleep-study": tuple(prose(p) for p in ("""
        Researchers at the University of Lund followed 212 adults for six weeks to test how
        partial sleep loss affects memory. Half of the participants slept their usual seven to
        eight hours; the other half were limited to five hours a night during the working week,
        with unrestricted sleep at weekends.""", """
        Each Friday, participants learned a list of word pairs and were tested on them the
        next Monday. The sleep-restricted group recalled 23 percent fewer pairs on average, and
        the gap did not close after weekend recovery sleep. Reaction-time tests showed a smaller
        but consistent slowdown.""", """
        Brain scans in a subgroup of 40 participants suggested a cause: the restricted group
        showed weaker activity in the hippocampus during learning and fewer of the sleep
        spindles thought to move memories into long-term storage.""", """
        The authors caution that the sample was mostly university staff and students, and that
        the study could not measure whether the effects persist beyond six weeks. They argue
        nonetheless that catching up on sleep at the weekend is unlikely to undo the memory
        costs of a short-sleep week.""")),
    "earnings": tuple(prose(p) for p in ("""
        Northwind Outdoor reported third-quarter revenue of $412 million, up 9 percent from a
        year earlier, helped by strong demand for its lightweight tents and a 31 percent jump
        in online sales. Gross margin improved to 46.2 percent from 43.8 percent as the company
        cut discounting and shifted production to its plant in Vietnam.""", """
        Net income fell slightly, to $28 million, because of a one-time $15 million charge for
        closing two distribution centres in Ohio. Excluding that charge, earnings per share
        were $0.74, ahead of analysts' expectations of $0.69.""", """
        Chief executive Dana Whitfield said wholesale orders from large retailers remain weak
        and that the company expects a cautious holiday season. Northwind lowered its full-year
        revenue forecast to between $1.58 and $1.62 billion, from $1.65 billion previously.""",
        """
        Shares fell 4 percent in after-hours trading. The company also announced a $100
        million share buyback and said it would open eight new stores next year, mostly in the
        Pacific Northwest and the Rocky Mountain states.""")),
    "hybrid-memo": tuple(prose(p) for p in ("""
        Starting 1 September, everyone in product, engineering and design moves to a hybrid
        schedule: three days a week in the office (Tuesday to Thursday) and two days remote.
        Teams may agree different anchor days with their director, as long as the whole team is
        in the office on the same days.""", """
        Fully remote arrangements approved before this memo stay in place. New requests for
        fully remote work will be considered case by case for caregiving, health or relocation
        reasons and need approval from both the line manager and HR.""", """
        To support the change we are extending desk booking to all floors, adding twelve quiet
        rooms on the third floor, and raising the commuting allowance to \u20ac90 a month. Remote
        days come with a one-off \u20ac400 budget for home-office equipment.""", """
        We will review the policy after six months using attendance data, the engagement
        survey and feedback from team leads. Questions can go to the People team through the
        usual HR portal.""")),
    "launch-meeting": tuple(prose(p) for p in ("""
        Priya: OK, let's start. The big question is whether we can still launch the mobile app
        on the 15th. Marco, where's QA? Marco: We've closed 41 of the 58 bugs. Three of the open
        ones are crashes on older Android phones, and I wouldn't ship with those.""", """
        Lena: The Android crashes are all in the photo-upload screen. I think it's the image
        library; upgrading it is a day of work plus a regression pass. Priya: And iOS? Lena:
        iOS is clean. We could in theory launch iOS first.""", """
        Tom: Splitting the launch is a problem for marketing. The press embargo lifts on the
        15th and the campaign says iPhone and Android. Moving everything a week costs us the
        newsletter slot, but a split launch means rewriting all the ads.""", """
        Priya: Then let's decide by Friday. Lena does the library upgrade tomorrow, Marco runs
        the regression on Thursday, and if the crashes are gone we keep the 15th for both
        platforms. If not, we move the whole launch to the 22nd and Tom rebooks the
        newsletter.""")),
    "printing-press": tuple(prose(p) for p in ("""
        When Johannes Gutenberg began printing with movable metal type in Mainz around 1450,
        books in Europe were still mostly copied by hand. A skilled scribe might produce a
        couple of pages a day; a press with a small team could print hundreds of sheets in the
        same time.""", """
        The technology spread fast. By 1500, presses were operating in more than 250 European
        towns and had produced an estimated eight million books. Venice alone had over a
        hundred print shops, and printers there pioneered smaller, cheaper formats that scholars
        could carry.""", """
        Cheaper books changed who could read and what they read. Vernacular texts, pamphlets
        and almanacs reached merchants and artisans, not only clergy and nobles. During the
        Reformation, Luther's pamphlets circulated in hundreds of thousands of copies, spreading
        arguments far faster than the church could answer them.""", """
        Historians still debate how much the press caused these changes and how much it sped up
        trends already under way, such as rising literacy in cities. Few dispute, however, that
        it made knowledge far harder to control and far easier to build on.""")),
    "coral-reef": tuple(prose(p) for p in ("""
        Marine biologists surveying the northern section of the reef in March found that about
        60 percent of shallow-water corals showed signs of bleaching, the fourth mass bleaching
        in eight years. Bleaching happens when heat-stressed corals expel the algae living in
        their tissue, which supply most of their food and their colour.""", """
        Bleached corals are not dead, and many recover if water temperatures drop within a few
        weeks. But repeated events leave less time for recovery, and the team found that
        fast-growing branching corals, which shelter many fish species, were hit hardest.""",
        """
        Local tour operators worry about tourism, which supports around 60,000 jobs in the
        region. Some have started funding coral nurseries, where fragments of heat-tolerant
        coral are grown on underwater frames and then transplanted onto damaged reef.""", """
        Scientists say such projects help at small scale but cannot keep pace with warming
        seas. The long-term outlook for the reef, they stress, depends mainly on how quickly
        global greenhouse gas emissions fall.""")),
}


def _passages(size: str, topics: tuple[str, ...] = tuple(_ARTICLES)) -> tuple[str, ...]:
    """Passages of one paragraph ("short"), two ("medium") or four ("long") per article."""
    if size == "short":
        return tuple(_ARTICLES[topic][index] for topic in topics for index in (0, 2))
    if size == "medium":
        return tuple("\n\n".join(_ARTICLES[topic][1:3]) for topic in topics)
    return tuple("\n\n".join(_ARTICLES[topic]) for topic in topics)


_REVIEWS = (
    prose("""I bought the Aurora X2 headphones in January. Battery lasts about 30 hours and the
        noise cancelling is great on trains, but the left hinge cracked after five weeks and
        support took ten days to reply. Sound is warm, a bit heavy on bass."""),
    prose("""We stayed four nights at the Casa Azul. The room was tiny but spotless, the rooftop
        breakfast was the highlight of the trip, and the staff booked us a great cooking class.
        Street noise until 1 a.m. on weekends, so bring earplugs."""),
    prose("""The new Thai place on Elm Street is worth it for the khao soi alone. Portions are
        generous, prices fair, but expect a 30-minute wait on Fridays and the dining room gets
        very loud. Service was friendly if a little slow."""),
    prose("""This standing desk was easy to assemble (about 40 minutes) and the motor is quiet.
        It wobbles slightly at full height, and the memory buttons sometimes need two presses.
        For the price it's a solid choice."""),
)
_THREADS = (
    prose("""Hi team, quick update: the vendor can't deliver the new laptops until 28 May, so
        onboarding for the June hires will use loaner machines. IT will image twelve loaners
        by next Friday. If your new starter needs special software, send the list to Jamal by
        Wednesday. Thanks, Rosa"""),
    prose("""Customer: My order arrived with a cracked screen. Agent: I'm sorry! Can you send a
        photo? Customer: Sent. Agent: Thanks, I've issued a replacement, it ships tomorrow,
        and you can keep or recycle the damaged one. Customer: Great, thanks for the quick
        help."""),
    prose("""From: Finance. Reminder that Q3 expense reports are due on 5 October. Receipts over
        \u20ac25 must be attached, mileage now uses the new rate of \u20ac0.30/km, and late
        reports will be paid in the following cycle. Contact finance-help with questions."""),
    prose("""Dad: Are we still on for Sunday lunch? Me: Yes! Can we make it 1pm instead of
        12? Dad: Fine, your aunt is coming too. Me: Great, I'll bring dessert. Dad: Bring the
        good ice cream, not the cheap one. Me: Deal."""),
)
_BOOKS = ("Hamlet", "Pride and Prejudice", "The Great Gatsby", "1984", "Moby-Dick",
          "To Kill a Mockingbird", "Frankenstein", "The Odyssey", "Don Quixote",
          "Crime and Punishment")


def _summarization() -> list[SeedGroup]:
    s = "summarization"
    return [
        tpl(s, "summarize-short", 0, ("Summarize this: {text}",
                                      "Summarize the following paragraph:\n\n{text}"),
            count=6, text=_passages("short", ("postmortem", "bike-lanes", "sleep-study",
                                              "earnings"))),
        tpl(s, "tldr", 0, ("TL;DR: {text}", "tl;dr please\n\n{text}"), count=6,
            text=_passages("short", ("hybrid-memo", "launch-meeting", "printing-press",
                                     "coral-reef"))),
        tpl(s, "one-sentence", 0, ("Sum this up in one sentence: {text}",
                                   "Give me a one-line summary of this: {text}"),
            count=6, text=(*_REVIEWS, *_THREADS)),
        tpl(s, "after-text", 0, ("{text}\n\nCan you summarize that for me?",
                                 "{text}\n\nWhat's the short version?"),
            count=6, text=(*_REVIEWS, *_THREADS)),
        tpl(s, "bullets-medium", 1,
            ("Summarize this article in three bullet points:\n\n{text}",
             "Give me the key points of the following as a short bulleted list:\n\n{text}"),
            count=6, text=_passages("medium")),
        tpl(s, "meeting-notes", 1, ("Summarize these meeting notes for people who missed it:"
                                    "\n\n{text}",
                                    "What were the main points and decisions here?\n\n{text}"),
            count=4, text=(*_ARTICLES["launch-meeting"][1:], "\n\n".join(
                _ARTICLES["launch-meeting"]))),
        tpl(s, "executive", 2, prose("""
            Write an executive summary of the following for the leadership team: what
            happened, why it matters, and what we're doing about it. Keep it under 150 words.
            """) + "\n\n{text}",
            count=5, text=_passages("long")),
        tpl(s, "detailed", 2, prose("""
            Give me a detailed, section-by-section summary of this document, with a one-line
            overview at the top and the key numbers preserved:""") + "\n\n{text}",
            count=5, text=_passages("long")),
        tpl(s, "condense", 0, ("Condense this to under 50 words: {text}",
                               "Can you shorten this paragraph? {text}",
                               "Boil this down for me: {text}"),
            count=6, text=_passages("short", ("printing-press", "coral-reef", "hybrid-memo",
                                              "bike-lanes"))),
        tpl(s, "book-plot", 0, ("Summarize the plot of {book}.",
                                "Give me a quick summary of {book}",
                                "What happens in {book}? Just the short version."),
            count=7, book=_BOOKS),
        tpl(s, "book-chapters", 2, prose("""
            Give me a chapter-by-chapter summary of {book}, then a paragraph on its main
            themes."""), count=4, book=_BOOKS),
        lit(s, "topic-overview", 0, "Give me a one-paragraph summary of the French Revolution.",
            "Summarize the main ideas of stoicism in a few sentences.",
            "What's the gist of the theory of evolution, in plain terms?",
            "Briefly summarize what happened at the Apollo 13 mission.",
            "Give me a recap of the last season of Succession, no fluff.",
            "Summarize the key findings of the IPCC reports in three bullet points."),
        tpl(s, "reviews", 1, prose("""
            Here are some customer reviews. Summarize what people like and dislike overall:
            """) + "\n\n{a}\n\n{b}", count=5, a=_REVIEWS[:2], b=_REVIEWS[2:]),
        tpl(s, "email-recap", 0, ("Recap this email in two sentences:\n\n{text}",
                                  "What does this message boil down to?\n\n{text}",
                                  "Give me the gist of this: {text}"),
            count=5, text=_THREADS),
        tpl(s, "abstract", 1, prose("""
            Write a 100-word abstract for this study:""") + "\n\n{text}", count=3,
            text=(_passages("medium", ("sleep-study",))[0], _passages("long", ("sleep-study",))[0],
                  _passages("medium", ("coral-reef",))[0])),
        tpl(s, "audience", 1, ("Summarize this for a {audience}:\n\n{text}",),
            count=6, audience=("ten-year-old", "busy CEO", "non-technical customer",
                               "newspaper headline"),
            text=_passages("medium", ("postmortem", "earnings", "coral-reef", "bike-lanes"))),
        lit(s, "paste-and-ask", 0,
            f"{_ARTICLES['bike-lanes'][0]}\n\nKey takeaways?",
            f"{_ARTICLES['earnings'][0]}\n\nIn a nutshell?",
            f"{_ARTICLES['coral-reef'][1]}\n\nsummary pls",
            f"{_ARTICLES['sleep-study'][1]}\n\nMain findings in a sentence or two?",
            f"{_ARTICLES['hybrid-memo'][2]}\n\nWhat's the headline here?"),
        lit(s, "code-discussion", 1, prose("""
            Summarize this PR discussion: Ana: I moved the retry logic into the client so every
            caller gets it. Ben: Fine, but the default of 5 retries will hammer the API during
            outages. Ana: I'll drop it to 3 with jitter. Ben: And please add a metric for
            retries. Ana: Done, pushed."""),
            prose("""
            Can you give me the key points of this issue thread? User says export to PDF fails
            for files over 50 pages; maintainer reproduced it, it's a memory limit in the
            renderer; workaround is exporting in chunks; fix planned for 2.4."""),
            prose("""
            TL;DR of our design doc discussion: we agreed to keep Postgres, add read replicas
            for reporting, postpone sharding until we pass 5 TB, and revisit caching once the
            new API is live."""),
            prose("""
            Summarize the changes in this changelog for our users: Added dark mode. Fixed crash
            when importing CSVs with empty lines. Sync is now twice as fast. Removed the legacy
            v1 API. Windows 7 is no longer supported.""")),
        lit(s, "podcast", 1, prose("""
            Summarize this transcript: Host: Welcome back. Today we talk about why cities plant
            trees. Guest: Trees cool streets by up to 5 degrees, reduce flooding, and people in
            leafy neighbourhoods report less stress. Host: What about cost? Guest: Maintenance is
            the real cost, and cities often plant without a budget to water young trees, so many
            die within three years."""),
            prose("""
            Can you give me the main takeaways from this interview? Q: Why did you leave
            banking? A: I wanted to build something. Q: Was it scary? A: Terrifying; we had six
            months of runway. Q: What saved you? A: One big customer who believed in us early.
            Q: Advice? A: Talk to customers before writing code.""")),
        tpl(s, "long-brief", 1, ("Summarize this in one short paragraph:\n\n{text}",
                                 "I don't have time to read all this. What's the gist?\n\n"
                                 "{text}"),
            count=5, text=_passages("long")),
        tpl(s, "headline", 0, ("Write a headline and a two-sentence summary for this: {text}",),
            count=5, text=_passages("short", ("bike-lanes", "earnings", "coral-reef",
                                              "sleep-study"))),
        lit(s, "legal-terms", 1, prose("""
            Summarize these terms in plain English: The Subscriber may cancel at any time; fees
            already paid are non-refundable except where required by law. The Provider may
            suspend the Service for non-payment after fourteen (14) days' written notice and may
            change these Terms with thirty (30) days' notice by email."""),
            prose("""
            What does this clause say, in short? Tenant shall keep the premises in good repair,
            shall not sublet without the Landlord's prior written consent, and shall give sixty
            days' notice before vacating, failing which the deposit may be retained."""),
            prose("""
            Give me a short summary of this privacy notice: we collect your email and usage
            data to run the service, share it with payment and hosting providers only, keep it
            for 24 months after you close your account, and you can ask for a copy or deletion
            at any time.""")),
        lit(s, "study-notes", 1,
            "Summarize the causes and outcomes of the Cold War as revision notes.",
            "Give me a concise summary of photosynthesis for my biology exam.",
            "Summarize the main points of Keynesian economics in five bullets.",
            "Summarize the plot and main themes of the Iliad for a book club.",
            "Make a one-page summary of the key events of the American Civil War."),
        tpl(s, "slack-recap", 0, ("Turn this into a 3-bullet recap I can post in Slack:"
                                  "\n\n{text}",),
            count=4, text=(_ARTICLES["launch-meeting"][3], _ARTICLES["hybrid-memo"][0],
                           _ARTICLES["postmortem"][3], _THREADS[0])),
        lit(s, "shorten-own", 0, prose("""
            Make this shorter, it's for a cover letter: I have worked for five years in retail
            management, where I was responsible for a team of twelve people, the weekly
            schedule, stock ordering and resolving customer complaints, and I won regional
            manager of the year twice."""),
            prose("""
            Cut this down to a tweet: Our library will be closed from Monday to Wednesday next
            week for floor repairs. Returns can be left in the box outside, and all due dates
            are extended by a week. Sorry for the inconvenience!"""),
            prose("""
            Can you condense my notes? Met the landlord. Heating fixed next Tuesday. Rent stays
            the same until March. He wants a photo of the meter every month. Bins go out on
            Thursdays now.""")),
        tpl(s, "summarize-medium", 1, ("Please summarize:\n\n{text}",
                                       "Can you give me a summary of this?\n\n{text}",
                                       "{text}\n\nSummarize the above in a few sentences."),
            count=6, text=_passages("medium")),
        tpl(s, "explain-briefly", 0, ("What is this paragraph saying, in short? {text}",
                                      "In plain words, what's the main point here? {text}"),
            count=6, text=_passages("short")),
        tpl(s, "news-brief", 1, ("Write a short news brief (3 sentences) based on this:\n\n"
                                 "{text}",
                                 "Give me the who, what, when and why of this story in a short "
                                 "paragraph:\n\n{text}"),
            count=5, text=_passages("medium", ("bike-lanes", "earnings", "coral-reef",
                                               "sleep-study", "printing-press"))),
        tpl(s, "long-bullets", 2, ("Summarize this report as 5 bullet points, most important "
                                   "first:\n\n{text}",
                                   "I need a briefing on this for my manager. Key points and "
                                   "numbers only:\n\n{text}"),
            count=6, text=_passages("long")),
        lit(s, "summarize-known", 0, "Summarize the story of Romeo and Juliet in a few lines.",
            "Give me a short summary of the movie Inception.",
            "Summarize World War II in five sentences.",
            "What's the plot of The Lord of the Rings, briefly?",
            "Quick summary of the Cuban Missile Crisis?",
            "Sum up the main ideas of Thinking, Fast and Slow."),
        lit(s, "summarize-concept", 1, "Summarize the key ideas of the theory of relativity for a "
            "layperson.", "Give me a short overview of how the EU works.",
            "Summarize the main schools of thought in ethics.",
            "Summarize the history of the internet in a paragraph.",
            "Give me the highlights of the Renaissance in a few bullet points."),
        tpl(s, "thread-summary", 0, ("Summarize this conversation:\n\n{text}",
                                     "What did they agree on? Short summary please:\n\n{text}"),
            count=4, text=(_THREADS[1], _THREADS[3], _ARTICLES["launch-meeting"][3],
                           _ARTICLES["launch-meeting"][0])),
        tpl(s, "review-summary", 0, ("Summarize this review in one line: {text}",
                                     "Is this review positive or negative overall? Summarize "
                                     "it briefly: {text}"),
            count=4, text=_REVIEWS),
        lit(s, "minutes", 1, prose("""
            Turn these notes into short meeting minutes: budget approved with a 5% cut to
            travel; hiring freeze until March except for support; new office opening delayed
            to Q3; next board meeting 14 June. Everyone agreed to share the plan with staff on
            Monday."""),
            prose("""
            Summarize the discussion: Jen proposed moving standups to 10am; Omar objected
            because of the Singapore team; compromise is 9:30 on Mon/Wed/Fri and async updates
            on other days; trial for a month."""),
            prose("""
            Can you write a summary of this call for the client? We reviewed the homepage
            mock-ups, they prefer option B with a darker header, copy is due from them next
            Tuesday, and we launch the beta on 3 May if feedback is in by the 28th.""")),
        lit(s, "summarize-research", 1, prose("""
            Summarize this abstract in plain English: We conducted a randomised controlled trial
            with 1,200 participants to evaluate whether a text-message reminder increases
            flu vaccination rates. Reminders increased uptake from 31% to 37% (p < 0.01), with
            the largest effect among adults under 40."""),
            prose("""
            What's the main finding here, briefly? Using satellite data from 2000 to 2020, we
            show that urban tree cover fell in 70% of the 500 largest cities, with losses
            concentrated in fast-growing suburbs, and that neighbourhoods losing trees warmed
            0.4 C more than those that did not."""),
            prose("""
            Give me a two-sentence summary: This paper proposes a new caching strategy for
            content delivery networks that predicts popularity from early request patterns.
            In simulations on real traces it cut origin traffic by 18% compared with LRU.""")),
        tpl(s, "recap-long", 2, ("Recap this for me, highlighting what changed and what's "
                                 "next:\n\n{text}",
                                 "Condense this document into a half-page summary:\n\n{text}"),
            count=6, text=_passages("long")),
        tpl(s, "gist-medium", 1, ("What's the gist of this?\n\n{text}",
                                  "Summarize in two sentences:\n\n{text}",
                                  "{text}\n\nCan you sum this up?"),
            count=6, text=_passages("medium")),
        lit(s, "overview-topic-2", 1, "Give me a brief overview of the causes and effects of the "
            "Great Depression.", "Summarize what the Paris climate agreement says.",
            "Summarize the key points of the GDPR for a small business owner.",
            "Give me a quick summary of the history of the Olympic Games.",
            "Summarize the main arguments in The Wealth of Nations."),
        lit(s, "shorten-2", 0, prose("""
            Shorten this product description to one line: This lightweight waterproof jacket
            is perfect for hiking, commuting and travel. It packs into its own pocket, has
            adjustable cuffs and a hood, and comes in six colours."""),
            prose("""
            Summarize my paragraph in fewer words: I've been thinking a lot about whether to
            change careers, because although I like my colleagues and the pay is fine, I don't
            feel like I'm learning anything anymore and the commute is exhausting."""),
            prose("""
            Make this announcement shorter: Please note that the kitchen on the second floor
            will be closed all day Friday for cleaning. Use the kitchen on the fourth floor
            instead. Thank you for your cooperation."""),
            prose("""
            Can you trim this bio to 30 words? Jane is a software engineer with ten years of
            experience in fintech, a keen rock climber, a mentor at Code Club, and the author
            of a popular blog about testing.""")),
        tpl(s, "docs-summary", 0, ("Summarize this for me: {doc}",
                                   "Quick summary of this, please:\n\n{doc}",
                                   "{doc}\n\nWhat's this about, in one or two sentences?"),
            count=8, doc=_docs("email", "news", "job", "contract", "event", "actions", "press",
                               "ticket", "flat", "shipping")),
        tpl(s, "docs-explain-short", 0, ("Can you give me the short version of this message? "
                                         "{doc}",
                                         "Summarize what this says in plain English: {doc}"),
            count=5, doc=_docs("prescription", "itinerary", "sms", "agenda", "review", "form")),
        tpl(s, "reviews-threads-2", 0, ("Briefly summarize: {text}",
                                        "One-paragraph summary of this, please: {text}"),
            count=5, text=(*_REVIEWS, *_THREADS)),
    ]


_ENGLISH = (
    "The meeting has been moved to Thursday afternoon.",
    "Could you send me the updated invoice by Friday?",
    "Please keep your luggage with you at all times.",
    "We are sorry for the delay and appreciate your patience.",
    "Where can I buy a ticket for the airport bus?",
    "My flight was cancelled and I need a hotel for tonight.",
    "The password must contain at least eight characters.",
    "Thank you for your order; it will ship within two business days.",
    "I'm allergic to peanuts. Does this dish contain any?",
    "Happy birthday! I hope all your wishes come true.",
    "The museum is closed on Mondays.",
    "Turn left at the second traffic light and the pharmacy is on your right.",
    "Do not operate heavy machinery after taking this medicine.",
    "Can I pay by card, or is it cash only?",
)
_PHRASES = ("good luck", "I miss you", "nice to meet you", "where is the bathroom",
            "cheers", "see you tomorrow", "I'm sorry", "excuse me",
            "how much does this cost", "I don't understand", "happy new year",
            "I love you")
_WORDS = ("butterfly", "library", "umbrella", "spoon", "grandmother", "receipt",
          "neighbour", "to negotiate", "sunset", "homework")
_LANGUAGES = ("French", "Spanish", "German", "Italian", "Portuguese", "Japanese",
              "Mandarin Chinese", "Korean", "Russian", "Arabic", "Hindi", "Dutch", "Turkish",
              "Polish", "Greek", "Swedish", "Vietnamese")
_FOREIGN = (
    "\u00bfD\u00f3nde est\u00e1 la estaci\u00f3n de tren m\u00e1s cercana?",
    "Me gustar\u00eda reservar una mesa para dos personas a las ocho.",
    "Pourriez-vous m'envoyer la facture par courriel ?",
    "Nous avons besoin de plus de temps pour terminer le projet.",
    "K\u00f6nnen Sie mir bitte helfen, meinen Koffer zu finden?",
    "Die Besprechung wurde auf Donnerstag verschoben.",
    "Vorrei un caff\u00e8 e un cornetto, per favore.",
    "Il treno per Milano \u00e8 in ritardo di venti minuti.",
    "Obrigado pela ajuda, foi muito \u00fatil.",
    "\u99c5\u307e\u3067\u306e\u9053\u3092\u6559\u3048\u3066\u3044\u305f\u3060\u3051\u307e"
    "\u3059\u304b\uff1f",
    "\u660e\u65e5\u306e\u4f1a\u8b70\u306f\u5348\u5f8c\u4e09\u6642\u304b\u3089\u3067\u3059"
    "\u3002",
    "\u6211\u4eec\u660e\u5929\u65e9\u4e0a\u4e5d\u70b9\u5728\u516c\u53f8\u95e8\u53e3\u89c1"
    "\u9762\u3002",
    "\u8fd9\u672c\u4e66\u975e\u5e38\u6709\u610f\u601d\uff0c\u6211\u63a8\u8350\u4f60\u8bfb"
    "\u4e00\u8bfb\u3002",
    "\uc774 \uadfc\ucc98\uc5d0 \uc88b\uc740 \uc2dd\ub2f9\uc774 \uc788\ub098\uc694?",
    "\u042f \u043d\u0435 \u043f\u043e\u043d\u0438\u043c\u0430\u044e, \u043f\u043e\u0447\u0435"
    "\u043c\u0443 \u043f\u043e\u0435\u0437\u0434 \u043e\u043f\u0430\u0437\u0434\u044b\u0432"
    "\u0430\u0435\u0442.",
    "\u0634\u0643\u0631\u0627 \u062c\u0632\u064a\u0644\u0627 \u0639\u0644\u0649 \u0645\u0633"
    "\u0627\u0639\u062f\u062a\u0643.",
    "\u0906\u091c \u092e\u094c\u0938\u092e \u092c\u0939\u0941\u0924 \u0905\u091a\u094d\u091b"
    "\u093e \u0939\u0948\u0964",
    "Bu ak\u015fam sinemaya gitmek ister misin?",
    "Kunt u dat nog een keer herhalen, alstublieft?",
    "Jag har bott i Stockholm i fem \u00e5r.",
    "Czy mog\u0119 zap\u0142aci\u0107 kart\u0105?",
    "B\u1ea1n c\u00f3 th\u1ec3 n\u00f3i ch\u1eadm h\u01a1n \u0111\u01b0\u1ee3c kh\u00f4ng?",
    "\u03a0\u03bf\u03cd \u03b5\u03af\u03bd\u03b1\u03b9 \u03b7 \u03c0\u03b1\u03c1\u03b1\u03bb"
    "\u03af\u03b1;",
)
_FOREIGN_LONG = (
    prose("""Querida Ana: te escribo desde Valencia. El viaje fue largo pero todo va bien. La
        casa de la abuela est\u00e1 igual que siempre, con el limonero en el patio. Ma\u00f1ana
        vamos a la playa si no llueve. Un abrazo muy fuerte, Carmen."""),
    prose("""Madame, Monsieur, suite \u00e0 notre conversation t\u00e9l\u00e9phonique, je vous
        confirme l'annulation de ma commande n\u00b0 4821. Je vous remercie de bien vouloir
        proc\u00e9der au remboursement dans les meilleurs d\u00e9lais. Cordialement,
        Julien Martin."""),
    prose("""Sehr geehrte Damen und Herren, leider muss ich Ihnen mitteilen, dass die
        Lieferung besch\u00e4digt angekommen ist. Bitte senden Sie mir einen Ersatz oder
        erstatten Sie den Kaufpreis. Mit freundlichen Gr\u00fc\u00dfen, Anna Becker."""),
    prose("""Caro Marco, grazie mille per l'invito alla festa di sabato. Purtroppo non posso
        venire perch\u00e9 lavoro fino a tardi, ma ci vediamo sicuramente la settimana
        prossima. Un abbraccio, Giulia."""),
    "\u304a\u4e16\u8a71\u306b\u306a\u3063\u3066\u304a\u308a\u307e\u3059\u3002\u5148\u65e5"
    "\u306e\u4ef6\u306b\u3064\u3044\u3066\u3001\u6765\u9031\u306e\u6708\u66dc\u65e5\u307e"
    "\u3067\u306b\u304a\u8fd4\u4e8b\u3044\u305f\u3060\u3051\u307e\u3059\u3068\u5e78\u3044"
    "\u3067\u3059\u3002\u3088\u308d\u3057\u304f\u304a\u9858\u3044\u3044\u305f\u3057\u307e"
    "\u3059\u3002",
)
_EN_PARAGRAPHS = (
    prose("""Dear Mr Tanaka, thank you for visiting our booth at the trade fair. As discussed,
        I am attaching our price list and product catalogue. We would be happy to arrange a
        video call next week to discuss a trial order."""),
    prose("""Our handmade ceramic mugs are fired twice for extra strength, are safe in the
        dishwasher and microwave, and hold 350 ml. Each one is glazed by hand, so colours may
        vary slightly."""),
    prose("""Welcome to the Riverside Hostel! Check-in is from 3 pm, breakfast is served
        from 7 to 10 in the garden, and quiet hours start at 11 pm. Please leave your key at
        reception when you go out."""),
    prose("""To reset your router, hold the button on the back for ten seconds until the light
        blinks orange, then wait two minutes and reconnect using the password on the
        sticker."""),
)
_CONTRACT = prose("""
    1. Term. This Agreement begins on the Effective Date and continues for twenty-four (24)
    months unless terminated earlier under Section 8. 2. Fees. The Customer shall pay the fees
    set out in Schedule A within thirty (30) days of each invoice; late payments accrue
    interest at 1% per month. 3. Confidentiality. Each party shall keep the other party's
    Confidential Information secret, shall use it only to perform this Agreement, and shall
    not disclose it to any third party without prior written consent, except to its
    employees and advisers who need to know it and are bound by equivalent obligations. 4.
    Liability. Neither party's total liability under this Agreement shall exceed the fees paid
    in the twelve (12) months preceding the claim, except for breaches of confidentiality or
    liability that cannot be limited by law. 5. Governing law. This Agreement is governed by
    the laws of England and Wales, and the courts of London have exclusive jurisdiction.""")
_UI_STRINGS = """```json
{
  "save": "Save changes",
  "cancel": "Cancel",
  "delete_confirm": "Are you sure you want to delete this file?",
  "upload_failed": "Upload failed. Please try again.",
  "welcome": "Welcome back, {name}!"
}
```"""


def _translation() -> list[SeedGroup]:
    t = "translation"
    return [
        tpl(t, "translate-sentence", 0,
            ("Translate '{en}' into {lang}.", "Translate to {lang}: {en}",
             "How would you translate \"{en}\" into {lang}?"),
            count=10, en=_ENGLISH, lang=_LANGUAGES),
        tpl(t, "how-say", 0, ("How do you say '{phrase}' in {lang}?",
                              "What's '{phrase}' in {lang}?",
                              "how to say {phrase} in {lang}"),
            count=10, phrase=_PHRASES, lang=_LANGUAGES),
        tpl(t, "word", 0, ("What's the {lang} word for '{word}'?",
                           "{lang} for '{word}'?"),
            count=7, word=_WORDS, lang=_LANGUAGES),
        tpl(t, "what-means", 0, ("What does \"{foreign}\" mean in English?",
                                 "What does this mean? {foreign}",
                                 "Can you translate this for me: {foreign}"),
            count=10, foreign=_FOREIGN),
        tpl(t, "foreign-first", 0, ("{foreign} -> English please", "{foreign}\n\nin English?",
                                    "{foreign} (translate)"),
            count=7, foreign=_FOREIGN),
        lit(t, "pair", 0,
            "Translate from Spanish to French: " + _FOREIGN[1],
            "German to Italian please: " + _FOREIGN[5],
            "Japanese into Chinese: " + _FOREIGN[10],
            "Can you translate this Russian into German? " + _FOREIGN[14],
            "Portuguese to Spanish: " + _FOREIGN[8],
            "French to Dutch: " + _FOREIGN[3]),
        tpl(t, "letter", 1, ("My grandmother sent me this letter. What does it say?\n\n{text}",
                             "Please translate this message into English:\n\n{text}",
                             "I got this email from a supplier, can you translate it?\n\n"
                             "{text}"),
            count=5, text=_FOREIGN_LONG),
        tpl(t, "paragraph", 1, ("Translate this into {lang}, keeping a formal tone:\n\n{text}",
                                "Can you put this paragraph into {lang}?\n\n{text}",
                                "I need this in {lang} for our website: {text}"),
            count=8, text=_EN_PARAGRAPHS, lang=_LANGUAGES),
        tpl(t, "multi-target", 1, ("Translate '{en}' into {a}, {b} and {c}.",),
            count=5, en=_ENGLISH, a=("French", "Spanish"), b=("German", "Italian"),
            c=("Japanese", "Korean", "Portuguese")),
        tpl(t, "ui-strings", 1, ("Localise these UI strings into {lang}. Keep the keys and the "
                                 "{name} placeholder as they are:\n{strings}",),
            count=4, lang=("German", "Brazilian Portuguese", "Japanese", "French", "Polish"),
            strings=(_UI_STRINGS,)),
        tpl(t, "contract", 3, prose("""
            Translate this contract excerpt into {lang}. Keep the numbering and the defined
            terms exactly, use the standard legal terminology of {lang}, and flag any phrase
            that has no direct equivalent:""") + "\n\n{text}",
            count=5, lang=("German", "French", "Spanish", "Italian", "Japanese", "Dutch"),
            text=(_CONTRACT,)),
        tpl(t, "long-article", 2, ("Translate the following article into {lang}, preserving "
                                   "the paragraphs:\n\n{text}",),
            count=4, lang=("Spanish", "German", "French", "Portuguese"),
            text=(_passages("long", ("bike-lanes",))[0], _passages("long", ("coral-reef",))[0])),
        tpl(t, "idiom", 0, ("Is there a {lang} equivalent of the idiom '{idiom}'?",
                            "How would a native {lang} speaker say '{idiom}'?"),
            count=6, lang=("French", "German", "Spanish", "Japanese", "Italian"),
            idiom=("it's raining cats and dogs", "break a leg", "the ball is in your court",
                   "once in a blue moon", "to spill the beans")),
        lit(t, "check", 1,
            "Is this a correct translation? 'The meeting has been moved to Thursday' -> '"
            + _FOREIGN[5] + "'",
            "My French teacher said my translation of 'Could you email me the invoice?' is "
            "off. I wrote '" + _FOREIGN[2] + "'. What's wrong?",
            "Did I translate this right? 'We need more time to finish the project' = '"
            + _FOREIGN[3] + "'",
            "Check my Spanish: 'I would like to book a table for two at eight' -> '"
            + _FOREIGN[1] + "'",
            "Is 'Ich habe Hunger' the right way to say 'I am hungry' in German, or should it "
            "be 'Ich bin hungrig'?"),
        tpl(t, "greeting-card", 0, ("How would I write '{msg}' in {lang} on a card?",),
            count=5, msg=("Happy birthday, Mom", "Congratulations on your wedding",
                          "Get well soon", "Merry Christmas and a happy new year",
                          "Thank you for everything"),
            lang=("Italian", "Korean", "Greek", "Polish", "Hindi", "Turkish")),
        lit(t, "menu", 1, prose("""
            Can you translate this menu into English? Entr\u00e9es: soupe \u00e0 l'oignon,
            salade de ch\u00e8vre chaud. Plats: magret de canard, sauce aux cerises; filet de
            dorade, l\u00e9gumes de saison. Desserts: tarte tatin, mousse au chocolat."""),
            prose("""
            What are these dishes? Tapas: pulpo a la gallega, pimientos de Padr\u00f3n,
            croquetas de jam\u00f3n, tortilla de patatas. Postres: crema catalana, flan de la
            casa."""),
            "Menu in Japanese, can you translate? \u89aa\u5b50\u4e3c\u3001\u5929\u3077\u3089"
            "\u305d\u3070\u3001\u713c\u304d\u9b5a\u5b9a\u98df\u3001\u62b9\u8336\u30a2\u30a4"
            "\u30b9"),
        lit(t, "signs", 0, "What does 'Ausfahrt freihalten' on this German sign mean?",
            "Sign at the station says 'Sortie de secours'. What's that in English?",
            "What does '\u7981\u6b62\u5438\u70df' mean? It's on a sign in my hotel.",
            "I saw '\u0412\u0445\u043e\u0434 \u0432\u043e\u0441\u043f\u0440\u0435\u0449\u0451"
            "\u043d' on a door in Moscow, what does it say?",
            "Translate the Italian sign 'Vietato l'accesso ai non addetti ai lavori'."),
        lit(t, "grammar-translate", 2, prose("""
            Translate 'If I had known, I would have come earlier' into Spanish and explain in
            detail which tenses you used and why."""),
            prose("""
            Translate this into German and walk me through the word order step by step: 'I
            think that he will come tomorrow because he has time.'"""),
            prose("""
            Give me a word-by-word translation of \u79c1\u306f\u6bce\u671d\u30b3\u30fc\u30d2\u30fc
            \u3092\u98f2\u307f\u307e\u3059, then a natural English version, and explain the
            particles."""),
            prose("""
            Translate 'Les enfants que j'ai vus jouaient dans le parc' and explain the past
            participle agreement in detail.""")),
        tpl(t, "subtitles", 2, ("Translate these subtitles into {lang}, keeping the timestamps "
                                "and line breaks:\n\n{subs}",),
            count=3, lang=("Spanish", "French", "Korean", "German"), subs=(
                "00:01:12,000 --> 00:01:14,500\nWhere were you last night?\n\n"
                "00:01:15,000 --> 00:01:18,200\nI told you, I was working late.\n\n"
                "00:01:18,900 --> 00:01:21,000\nThen why did your boss call here?",)),
        lit(t, "tone-translate", 1, prose("""
            Translate 'We regret to inform you that your application was unsuccessful' into
            Japanese, in very polite business language."""),
            prose("""
            How do I say 'could you please turn the music down a bit' to my French neighbour
            without sounding rude?"""),
            prose("""
            Translate 'hey, wanna grab a beer later?' into casual Brazilian Portuguese, the
            way friends would text it."""),
            prose("""
            Put 'Thank you for your continued support' into formal Korean for a business
            email.""")),
        tpl(t, "translate-email", 1, ("Translate this email into {lang}:\n\n{text}",
                                      "Please translate the message below to {lang} for our "
                                      "partner:\n\n{text}"),
            count=6, lang=("German", "French", "Spanish", "Japanese", "Italian", "Dutch"),
            text=(_THREADS[0], _THREADS[2], _EN_PARAGRAPHS[0])),
        tpl(t, "translate-doc", 2, ("Translate the whole text below into {lang}. Keep the "
                                    "formatting and don't summarize anything:\n\n{text}",
                                    "We need a faithful {lang} translation of this document:"
                                    "\n\n{text}"),
            count=6, lang=("German", "French", "Spanish", "Italian", "Portuguese", "Polish"),
            text=_passages("long", ("hybrid-memo", "postmortem", "sleep-study", "earnings"))),
        tpl(t, "translate-para", 1, ("Translate into {lang}:\n\n{text}",
                                     "{lang} version of this, please:\n\n{text}",
                                     "Could you translate the following paragraph to {lang}? "
                                     "{text}"),
            count=7, lang=("French", "Spanish", "German", "Japanese", "Korean", "Russian"),
            text=_passages("short", ("hybrid-memo", "coral-reef", "printing-press",
                                     "bike-lanes"))),
        tpl(t, "translate-reviews", 1, ("Translate this customer review into {lang}: {text}",),
            count=4, lang=("French", "German", "Spanish", "Italian"), text=_REVIEWS),
        tpl(t, "foreign-to-en-long", 1, ("Translate this into English, please:\n\n{text}",
                                         "What does this say? I don't speak the language."
                                         "\n\n{text}",
                                         "English translation of the following, please: {text}"),
            count=6, text=(*_FOREIGN_LONG, prose("""
                Estimados clientes: a partir del lunes, nuestro horario de atenci\u00f3n ser\u00e1
                de 9:00 a 18:00. Los pedidos realizados despu\u00e9s de las 15:00 se enviar\u00e1n
                al d\u00eda siguiente. Gracias por su comprensi\u00f3n."""), prose("""
                Chers parents, la sortie scolaire au mus\u00e9e aura lieu le jeudi 12 mai. Les
                enfants doivent apporter un pique-nique et une bouteille d'eau. Merci de
                signer l'autorisation ci-jointe avant lundi."""))),
        lit(t, "translate-instructions", 1, prose("""
            Translate these instructions into Spanish for our cleaning staff: empty all bins
            daily, vacuum the meeting rooms on Mondays and Thursdays, and lock the back door
            after 8 pm."""),
            prose("""
            Please translate the safety notice into Polish: hard hats must be worn at all times
            on site, and visitors must sign in at reception."""),
            prose("""
            Can you translate this recipe into German? Mix the flour and sugar, add two eggs,
            bake at 180 degrees for 25 minutes, and let it cool before slicing."""),
            prose("""
            Translate the assembly instructions into French: attach the legs with the four
            long screws, then fix the shelf using the small brackets.""")),
        lit(t, "language-help", 0, "Is 'Ich bin warm' the right way to say I'm warm in German?",
            "In Spanish, is it 'por' or 'para' in 'thanks for the gift'?",
            "What's the polite way to say 'you' in French?",
            "How do you pronounce and write 'thank you' in Thai?",
            "Translate 'cheers' and 'bon app\u00e9tit' into Swedish.",
            "What's the difference between 'arigatou' and 'arigatou gozaimasu'?"),
        lit(t, "translate-slang", 0, "What does 'no manches' mean in Mexican Spanish?",
            "Translate the British phrase 'I'm knackered' for an American.",
            "What does the German word 'Feierabend' mean? Is there an English equivalent?",
            "What does 'c'est la vie' literally translate to?",
            "What's the meaning of the Japanese word 'komorebi'?"),
        tpl(t, "translate-list", 0, ("Translate these words into {lang}: {words}",),
            count=5, lang=("Spanish", "French", "German", "Italian", "Japanese", "Turkish"),
            words=("apple, bread, cheese, water, coffee", "left, right, straight ahead, stop",
                   "Monday, Tuesday, Wednesday, weekend", "doctor, pharmacy, hospital, "
                   "emergency")),
        tpl(t, "translate-chat", 0, ("My {who} sent me this: \"{foreign}\" What does it mean?",
                                     "Got a text from my {who}: {foreign} Translate?"),
            count=6, who=("host family", "colleague", "landlord", "friend"),
            foreign=_FOREIGN[::2]),
        lit(t, "translate-tech", 1, prose("""
            Translate this error message into German for our app: 'Your session has expired.
            Please sign in again to continue.'"""),
            prose("""
            Translate the app store description into Japanese: 'Track your habits, build
            streaks and see your progress at a glance.'"""),
            prose("""
            Can you translate our cookie banner into French? 'We use cookies to improve your
            experience. You can accept all or choose which ones to allow.'"""),
            prose("""
            Translate the button labels 'Sign up', 'Log in', 'Forgot password?' and 'Continue'
            into Spanish and Italian.""")),
        tpl(t, "translate-long-2", 2, ("Please translate this report into {lang}. Every "
                                       "paragraph, no shortening:\n\n{text}",
                                       "Translate the following text to {lang} for our "
                                       "international staff:\n\n{text}"),
            count=6, lang=("Spanish", "French", "German", "Japanese", "Chinese", "Arabic"),
            text=_passages("long", ("printing-press", "launch-meeting", "coral-reef",
                                    "bike-lanes"))),
        tpl(t, "translate-medium", 1, ("Translate to {lang}:\n\n{text}",
                                       "{text}\n\nTranslate the above into {lang}."),
            count=6, lang=("Italian", "Portuguese", "German", "French", "Korean", "Turkish"),
            text=_passages("medium")),
        tpl(t, "foreign-long-2", 1, ("{text}\n\nCan you translate this into English?",
                                     "Translate please: {text}"),
            count=5, text=(*_FOREIGN_LONG, prose("""
                Liebe Nachbarn, am Samstag feiern wir ab 18 Uhr im Garten den Geburtstag
                unserer Tochter. Es k\u00f6nnte etwas lauter werden. Wir bitten um
                Verst\u00e4ndnis und laden Sie herzlich auf ein Glas Wein ein!"""))),
        lit(t, "translate-misc", 0, "Translate 'the cat is sleeping on the sofa' into Latin.",
            "How do you write 'welcome' in Arabic script?",
            "Give me the Japanese for 'one coffee, please' in both kana and romaji.",
            "Translate 'open 24 hours' into Spanish and Portuguese.",
            "What is 'bless you' in German?"),
        tpl(t, "docs-translate", 1, ("Translate this into {lang}: {doc}",
                                     "Can you translate the following into {lang}?\n\n{doc}",
                                     "{doc}\n\nPlease translate that into {lang}."),
            count=9, lang=("French", "German", "Spanish", "Italian", "Japanese", "Portuguese",
                           "Dutch", "Korean"),
            doc=_docs("email", "news", "job", "event", "shipping", "flat", "recipe", "review",
                      "actions", "ticket", "press")),
        tpl(t, "short-passages", 1, ("Translate this paragraph into {lang}: {text}",
                                     "{lang} translation, please:\n\n{text}"),
            count=8, lang=("French", "German", "Spanish", "Italian", "Russian", "Chinese"),
            text=_passages("short")),
        tpl(t, "reviews-threads", 0, ("Translate into {lang}: {text}",
                                      "Put this into {lang} for me: {text}"),
            count=6, lang=("Spanish", "German", "French", "Portuguese", "Japanese"),
            text=(*_REVIEWS, *_THREADS)),
    ]


_DOCS: dict[str, str] = {
    "email": prose("""Hi Priya, confirming our call with Marcus Feld (Brightline Logistics) on 14
        March at 10:30 CET. Dial-in: +44 20 7946 0321, code 55821. I've copied Jana Novak
        (jana.novak@brightline.eu) who will join from Prague. Cheers, Tom Okafor,
        tom.okafor@northwind.io"""),
    "invoice": prose("""INVOICE INV-20931. Date: 2025-02-11. Bill to: Harbor Coffee Ltd, 18
        Quay St, Bristol BS1 4DJ. Items: 12 x Espresso beans 1kg @ \u00a318.50; 3 x Grinder
        burr set @ \u00a342.00. Subtotal \u00a3348.00, VAT 20% \u00a369.60, Total
        \u00a3417.60. Payment due: 2025-03-13. Bank: Lloyds, sort code 30-94-57."""),
    "resume": prose("""Maria Gonz\u00e1lez, Senior Data Engineer. 8 years of experience.
        Skills: Python, Spark, Airflow, dbt, AWS (Glue, Redshift). Experience: Kestrel
        Analytics (2019-present), Lead Data Engineer; Fintrek (2016-2019), Data Engineer.
        Education: MSc Computer Science, Universidad de Granada, 2016. Languages: Spanish,
        English, German (B1). maria.g@protonmail.com"""),
    "logs": "2025-06-01T12:03:44Z ERROR payment-svc timeout calling ledger (req=8f2a)\n"
            "2025-06-01T12:03:45Z WARN  payment-svc retrying ledger call, attempt 2\n"
            "2025-06-01T12:03:47Z INFO  auth-svc user 4411 logged in from 10.2.3.14\n"
            "2025-06-01T12:03:52Z ERROR payment-svc ledger returned 503 (req=8f2a)\n"
            "2025-06-01T12:04:01Z INFO  cart-svc cart 9921 checked out, total 84.20 EUR",
    "news": prose("""On Tuesday, Helios Energy and the regional government of Upper Austria
        announced a \u20ac2.1bn investment in a green hydrogen plant near Linz. Helios chief
        executive Karin Vogt said the plant would employ 600 people by 2028. Environmental group
        Blue Danube welcomed the plan but questioned the water supply."""),
    "shipping": prose("""Good news! Your package 1Z999AA10123456784 shipped via UPS on May 2
        and is expected Tuesday, May 6 by 8pm. Delivery address: 455 Elm Ave, Apt 3B, Portland,
        OR 97205. Order #A-77310: 1 x Trailhead 40L backpack, 2 x merino socks."""),
    "job": prose("""Backend Engineer (Go) at Tidewater Health. Remote, EU time zones. Salary
        \u20ac70k-\u20ac90k plus equity. Requirements: 4+ years of Go, PostgreSQL, Kafka; nice to
        have: Kubernetes, gRPC. Apply by 30 September to jobs@tidewater.health, reference
        BE-204."""),
    "prescription": prose("""Amoxicillin 500 mg: take one capsule three times daily for 7 days.
        Prescribed by Dr. Lena Hoffmann on 03/04/2025 for Jonas Weber (DOB 12/09/1987).
        Refills: 0. Pharmacy: Apotheke am Markt, tel. 089 123 4567."""),
    "statement": "03/02 STARBUCKS #1123  -4.75\n03/02 PAYROLL ACME INC  +2,340.00\n"
                 "03/04 AMAZON MKTPLACE  -129.99\n03/05 RENT TRANSFER  -1,450.00\n"
                 "03/07 UBER TRIP  -23.40\n03/09 CITY GYM MONTHLY  -39.00",
    "event": prose("""Join us for PyData Lisbon on Thursday 17 October, 18:30-21:00, at LX
        Factory, Rua Rodrigues de Faria 103. Talks by Ana Ribeiro (Feedzai) and Tom Baker
        (Unbabel). Free entry; register at pydata-lisbon.org by 15 October."""),
    "actions": prose("""Notes from Monday's sync: Dana will send the revised budget by
        Wednesday. Raj books the venue for the offsite on 12 November. Legal review of the
        vendor contract is still pending, owner Chris, due end of month. Mei to draft the
        customer survey before the next sync."""),
    "contract": prose("""This Agreement is entered into on 1 July 2025 between Bluefin Software
        GmbH, Hamburg ("Licensor"), and Oakridge Retail Inc., Delaware ("Licensee"). Term: 24
        months. Fee: USD 48,000 per year, payable quarterly in advance. Notice period: 90
        days. Governing law: Germany."""),
    "ticket": prose("""Ticket #45821. Customer: Emily Chen (emily.chen@gmail.com, +1 415 555
        0199). Order 77-310 arrived damaged on 14 February. Customer requests a refund of
        $64.20 to the original Visa card ending 4421."""),
    "listing": '<div class="product"><h2>Trailhead 40L Backpack</h2>'
               '<span class="price">$129.00</span><span class="rating">4.6</span>'
               '<span class="stock">In stock</span></div>\n<div class="product">'
               '<h2>Summit Down Jacket</h2><span class="price">$249.00</span>'
               '<span class="rating">4.8</span><span class="stock">Only 2 left</span></div>',
    "recipe": prose("""For the pancakes you'll need 250 g plain flour, 2 large eggs, 300 ml
        milk, a pinch of salt and 1 tbsp melted butter, plus extra butter for the pan. Serve
        with 2 lemons and caster sugar."""),
    "review": prose("""I bought the Aurora X2 headphones for $179 at Best Buy in January.
        Battery lasts about 30 hours, noise cancelling is great, but the left hinge cracked
        after 5 weeks. 3/5 stars. - Reviewed by Kevin P., Austin, TX"""),
    "form": prose("""Name: Tomasz Nowak | Date of birth: 1990-04-17 | Nationality: Polish |
        Passport no.: EA1234567 | Address: ul. D\u0142uga 5/12, 00-238 Warszawa | Phone:
        +48 601 234 567 | Emergency contact: Ewa Nowak (sister)"""),
    "receipt": prose("""TRATTORIA DA LUCA, Via Roma 14, Bologna. 12/08/2025 21:47. 2 x
        Tagliatelle al rag\u00f9 14.00; 1 x Tortellini in brodo 12.50; 1 x Lambrusco 0.75l
        18.00; Coperto 2 x 2.50. Totale EUR 66.00. Pagato con carta. Tavolo 7."""),
    "flat": prose("""For rent: bright 2-bed flat, 68 m2, third floor with lift, Calle de Toledo
        45, Madrid. \u20ac1,450 a month plus \u20ac90 community fees. Available from 1
        September, minimum 12 months. Contact Luc\u00eda on +34 612 345 678."""),
    "itinerary": prose("""Booking ref QX7P2L. Passenger: Mr Daniel Kim. 12 Jun KE 902 Seoul ICN
        13:40 to Frankfurt FRA 19:05, seat 34A. 26 Jun KE 906 FRA 20:10 to ICN 14:05 (+1).
        Baggage: 1 x 23 kg."""),
    "press": prose("""SAN FRANCISCO, 4 March 2025. Lumen Robotics today announced a $45 million
        Series B led by Granite Ventures, with participation from Oak Hill Capital. The
        company, founded in 2021 by Priya Raman and Leo Castillo, makes warehouse picking
        robots and will use the funds to open an office in Austin."""),
    "lab": prose("""Patient: R. Silva. Collected 2025-05-03. Haemoglobin 13.2 g/dL (ref
        13.5-17.5) LOW; WBC 7.1 x10^9/L (4.0-11.0); Platelets 250 x10^9/L (150-400); Ferritin
        18 ng/mL (30-400) LOW; Vitamin D 22 ng/mL (30-100) LOW."""),
    "sms": prose("""Mum: Flight lands 6:40pm Friday, terminal 2. Dad: ok, I'll park in short
        stay. Me: Can someone bring my blue jacket? Mum: Also pick up milk. Dad: Gate code for
        the garage is 4471."""),
    "agenda": prose("""Day 1 (9 Oct): 09:00 Keynote, Dr. Amara Obi; 10:30 Panel on AI in
        healthcare (Hall B); 13:00 Lunch; 14:00 Workshop on LLM evaluation, Kai M\u00fcller.
        Day 2 (10 Oct): 09:30 Privacy by design, Sofia Lind; 11:00 Closing remarks."""),
}


def _docs(*keys: str) -> tuple[str, ...]:
    return tuple(_DOCS[key] for key in keys)


def _long_doc(*keys: str) -> str:
    return "\n\n".join(_DOCS[key] for key in keys)


def _extraction() -> list[SeedGroup]:
    e = "extraction"
    return [
        tpl(e, "names-dates", 0, ("Extract all the names and dates from this: {doc}",
                                  "Pull out every person's name and every date mentioned:\n\n"
                                  "{doc}"),
            count=8, doc=_docs("email", "news", "contract", "event", "prescription",
                               "actions", "press", "agenda", "itinerary")),
        tpl(e, "contacts", 0, ("Find all email addresses and phone numbers in this text: {doc}",
                               "List the contact details in here:\n{doc}"),
            count=7, doc=_docs("email", "ticket", "prescription", "job", "form", "flat",
                               "sms")),
        tpl(e, "invoice-json", 1, ("Pull the {fields} from this invoice as JSON: {doc}",
                                   "Return the {fields} as a JSON object:\n\n{doc}"),
            count=4, doc=_docs("invoice"),
            fields=("invoice number, date, total and due date", "line items with quantity "
                    "and unit price", "customer name and address", "subtotal, VAT and total")),
        tpl(e, "resume-fields", 0, ("From this CV, list the candidate's {fields}: {doc}",
                                    "Get the {fields} out of this resume:\n{doc}"),
            count=4, doc=_docs("resume"),
            fields=("skills", "employers and dates", "education and languages",
                    "name, title and years of experience")),
        tpl(e, "logs-table", 1, ("Parse these log lines into a table with timestamp, level, "
                                 "service and message:\n{doc}",
                                 "Extract every ERROR line and its request id:\n{doc}",
                                 "From these logs, which services logged errors and when?\n{doc}"),
            count=3, doc=_docs("logs")),
        tpl(e, "entities", 0, ("Identify every person, organisation and location in this "
                               "text: {doc}",
                               "Extract the named entities (people, companies, places): {doc}"),
            count=7, doc=_docs("news", "email", "event", "contract", "review", "press",
                               "agenda")),
        tpl(e, "shipping", 0, ("What's the tracking number and delivery date in this email? "
                               "{doc}",
                               "Get the tracking number, carrier and address out of this:\n"
                               "{doc}"),
            count=2, doc=_docs("shipping")),
        tpl(e, "job-fields", 1, ("Fill these fields from the job post: title, company, location,"
                                 " salary range, required skills, deadline.\n\n{doc}",
                                 "Extract the salary, requirements and how to apply from "
                                 "this posting: {doc}"),
            count=2, doc=_docs("job")),
        tpl(e, "dosage", 0, ("Get the drug, dosage, frequency and duration from this "
                             "prescription: {doc}",
                             "Extract the medication details as key-value pairs:\n{doc}"),
            count=2, doc=_docs("prescription")),
        tpl(e, "transactions", 0, ("List all transactions over $100 from this statement:\n{doc}",
                                   "Extract the debits as CSV with date, merchant, amount:\n"
                                   "{doc}",
                                   "Which payments in here are subscriptions or rent?\n{doc}"),
            count=3, doc=_docs("statement")),
        tpl(e, "action-items", 1, ("Extract the action items with owner and due date from "
                                   "these notes as a table: {doc}",
                                   "Pull out who has to do what, and by when: {doc}"),
            count=2, doc=_docs("actions")),
        tpl(e, "contract-terms", 1, ("Extract the parties, start date, term, fee and governing "
                                     "law from this clause: {doc}",
                                     "Return the key contract terms as JSON fields:\n{doc}"),
            count=2, doc=_docs("contract")),
        tpl(e, "ticket-fields", 0, ("From this support ticket, extract the ticket number, "
                                    "customer email, order number and refund amount: {doc}",),
            count=1, doc=_docs("ticket")),
        tpl(e, "html", 1, ("Extract the product name, price, rating and stock status from this"
                           " HTML as a list of JSON objects:\n{doc}",
                           "Scrape the names and prices out of this markup:\n{doc}"),
            count=2, doc=_docs("listing")),
        tpl(e, "ingredients", 0, ("Extract the ingredients and quantities from this recipe as a"
                                  " CSV: {doc}", "List each ingredient with its amount: {doc}"),
            count=2, doc=_docs("recipe")),
        tpl(e, "review-fields", 0, ("Pull out the product, price, store, rating and reviewer "
                                    "location from this review: {doc}",),
            count=1, doc=_docs("review")),
        tpl(e, "form-yaml", 0, ("Turn this form into YAML with one key per field: {doc}",
                                "Extract the passport number, date of birth and phone from "
                                "this: {doc}"),
            count=2, doc=_docs("form")),
        tpl(e, "schema-long", 3, prose("""
            Extract every entity from the documents below into JSON that matches this schema:
            people (name, email, phone, organisation), organisations (name, city), dates (ISO
            8601, with what happens on each), and money amounts (value, currency, what it is
            for). Every field must be present, use null when a value is missing, do not invent
            values, and make sure dates are normalised.""") + "\n\n{doc}",
            count=5, doc=(_long_doc("email", "invoice", "ticket"),
                          _long_doc("news", "contract", "event"),
                          _long_doc("job", "resume", "form"),
                          _long_doc("prescription", "shipping", "review"),
                          _long_doc("actions", "email", "contract"))),
        lit(e, "inline-short", 0,
            "Extract the dates from: 'Kickoff 3 Feb, review 17 Mar, launch 2 Jun.'",
            "Find all URLs in: see https://docs.example.com/start and http://old.example.org "
            "for details, or mail help@example.com",
            "Pull the numbers out of this sentence: we sold 1,204 units in 3 regions for "
            "$58,300.",
            "Get the hashtags and mentions from this tweet: Loved the keynote by @ana_codes "
            "#PyConDE #python #ML",
            "Which currencies and amounts appear here? 'Paid \u20ac40, then $25, and \u00a312 "
            "in fees.'",
            "Extract the city names: 'We flew from Oslo to Lima via Madrid, then bused to "
            "Cusco.'"),
        lit(e, "address-parse", 0,
            "Parse this address into street, city, postcode and country: 221B Baker Street, "
            "London NW1 6XE, UK",
            "Split into fields (street, number, zip, city): Hauptstra\u00dfe 12, 10115 Berlin",
            "Parse '1600 Amphitheatre Pkwy, Mountain View, CA 94043' into JSON fields.",
            "Break this address into parts: 4-2-8 Shibakoen, Minato-ku, Tokyo 105-0011, Japan",
            "Extract the postcode and city from 'Flat 2, 17 Rose Lane, Leeds LS6 2QT'."),
        lit(e, "questions-as-extraction", 0,
            f"{_DOCS['event']}\n\nWhat's the date, time and venue? Just the facts, as a list.",
            f"{_DOCS['shipping']}\n\nGive me just the order number and items.",
            f"{_DOCS['invoice']}\n\nReturn only the invoice total and due date.",
            f"{_DOCS['job']}\n\nJust the salary range and the application email, please.",
            f"{_DOCS['contract']}\n\nReturn the fee and notice period as key-value pairs."),
        lit(e, "structured-misc", 1, prose("""
            Here's a list of attendees: 'Dr. Sarah Lee, MIT; Prof. Omar Haddad, ETH Zurich; Ms
            Julia Rossi, Politecnico di Milano'. Extract title, name and institution for each
            as CSV."""),
            prose("""
            From these product titles, extract brand, model and storage size: 'Apple iPhone 15
            Pro 256GB', 'Samsung Galaxy S24 128 GB', 'Google Pixel 8a - 128GB'."""),
            prose("""
            Extract the flight number, departure airport, arrival airport and times: LH 1234
            departs FRA 07:15, arrives LIS 09:30; return LH 1235 departs LIS 10:20, arrives FRA
            14:25."""),
            prose("""
            Pull the key-value pairs out of this: colour=navy; size=M; material=100% cotton;
            origin=Portugal; care=machine wash 30C."""),
            prose("""
            Identify all the skills mentioned in these job requirements: experience with
            Terraform and AWS, strong SQL, familiarity with Airflow or Dagster, good written
            English.""")),
        lit(e, "medical-records", 1, prose("""
            Extract diagnoses, medications and allergies from this note: Patient presents with
            type 2 diabetes and hypertension. Currently on metformin 1000 mg twice daily and
            lisinopril 10 mg. Allergic to penicillin. Follow-up in 3 months."""),
            prose("""
            From this discharge summary, list the procedures and their dates: appendectomy on
            4 May, CT scan of the abdomen on 3 May, follow-up ultrasound on 18 May."""),
            prose("""
            Get the blood pressure, heart rate and temperature readings out of this: BP 128/82,
            HR 76 bpm, temp 37.1 C, SpO2 98%.""")),
        lit(e, "bulk-emails", 1, prose("""
            Below are three emails. For each one, extract the sender, the request and the
            deadline as a table. 1) From Ana: please review the Q3 deck by Friday. 2) From Luis:
            can you approve my leave for 10-14 June? 3) From HR: complete the security training
            before 30 May."""),
            prose("""
            Go through these messages and list every meeting with its date, time and
            participants: 'Lunch with Sam Thursday 12:30', 'Standup moved to 9:45 tomorrow with
            the whole team', 'Call with Dr Patel on the 21st at 3pm'.""")),
        lit(e, "table-from-text", 1, prose("""
            Convert this into a table with columns country, capital and population: France's
            capital is Paris and it has about 68 million people; Japan, capital Tokyo, has 124
            million; Kenya's capital Nairobi, population 55 million."""),
            prose("""
            Make a structured list (name, role, start year) from this: Aiko joined as designer
            in 2019, Ben became CTO in 2021, and Carla has been our accountant since 2015."""),
            prose("""
            Extract each sports result as home team, away team and score: Arsenal beat Spurs
            3-1, Leeds and Everton drew 0-0, and Brighton lost 2-4 at home to Villa.""")),
        tpl(e, "kv-any", 0, ("Turn this into key-value pairs: {doc}",
                             "Give me the structured data in this as JSON:\n\n{doc}",
                             "{doc}\n\nConvert the details above into a table."),
            count=8, doc=_docs("receipt", "flat", "itinerary", "press", "lab", "form", "job",
                               "shipping", "event")),
        tpl(e, "amounts", 0, ("Extract every amount of money and what it is for: {doc}",
                              "{doc}\n\nList the prices and totals mentioned."),
            count=6, doc=_docs("invoice", "receipt", "flat", "press", "statement", "contract",
                               "ticket")),
        tpl(e, "dates-iso", 0, ("List all the dates in this text in ISO 8601 format: {doc}",
                                "{doc}\n\nExtract the dates and times only."),
            count=6, doc=_docs("email", "itinerary", "agenda", "event", "lab", "press",
                               "shipping")),
        lit(e, "doc-specific", 1,
            "Extract the items, prices and the total from this receipt as CSV:\n"
            + _DOCS["receipt"],
            "From this booking, get the booking reference, flights, dates and seat:\n"
            + _DOCS["itinerary"],
            "Which results are flagged LOW? Return test name, value and reference range:\n"
            + _DOCS["lab"],
            "Pull out the arrival time, terminal and the garage code from this chat:\n"
            + _DOCS["sms"],
            "Extract every session with its day, time, title and speaker:\n" + _DOCS["agenda"],
            "Extract rent, fees, size, address and availability from this ad: " + _DOCS["flat"],
            "From this press release, list the company, round size, lead investor, founders and"
            " new office city: " + _DOCS["press"]),
        lit(e, "keywords", 0, prose("""
            Extract 5 keywords from this abstract: We study how partial sleep restriction
            affects declarative memory consolidation in adults, using word-pair recall and
            hippocampal fMRI."""),
            prose("""
            Pick out the programming languages and frameworks mentioned: the team uses Kotlin
            and Spring on the backend, React Native for mobile and a bit of Python for data
            jobs."""),
            prose("""
            Which companies are mentioned in this sentence? 'After Nokia's decline, engineers
            moved to Supercell, Rovio and Wolt.'"""),
            prose("""
            Get all the product codes (format AB-1234) from: shipped AB-1021 and CX-7781,
            back-ordered AB-3310, returned ZT-0042."""),
            prose("""
            List the ingredients that contain allergens in this label: wheat flour, sugar,
            palm oil, hazelnuts (13%), skimmed milk powder, soy lecithin, vanillin.""")),
        tpl(e, "entities-json", 1, ("Return every person, company and place in this text as JSON "
                                    "lists: {doc}",
                                    "Tag the named entities in this passage and group them by "
                                    "type:\n\n{doc}"),
            count=6, doc=_passages("short", ("bike-lanes", "earnings", "printing-press",
                                             "sleep-study", "coral-reef"))),
        tpl(e, "numbers-from-article", 0, ("Extract all the figures and what they measure from "
                                           "this article: {doc}",
                                           "Pull out every number, percentage and amount in "
                                           "this text: {doc}"),
            count=6, doc=_passages("short", ("earnings", "postmortem", "coral-reef",
                                             "bike-lanes"))),
        tpl(e, "decisions-owners", 1, ("List each task, its owner and deadline from this "
                                       "transcript as a table:\n\n{doc}",
                                       "Who is doing what and by when? Extract only the "
                                       "assignments:\n\n{doc}"),
            count=4, doc=(_ARTICLES["launch-meeting"][3], _ARTICLES["postmortem"][3],
                          _DOCS["actions"])),
        tpl(e, "timeline", 1, ("Extract a timeline (time, event) from this report: {doc}",
                               "List the events in this text with their timestamps: {doc}"),
            count=4, doc=(_ARTICLES["postmortem"][0], _ARTICLES["postmortem"][1],
                          _ARTICLES["postmortem"][2], _DOCS["logs"])),
        lit(e, "emails-from-text", 0, prose("""
            Get all the email addresses from this list: Contact anna@bloom.io for sales,
            support@bloom.io for help, or our CEO at k.lee@bloom.io."""),
            prose("""
            Which phone numbers appear in this message? Call the front desk on 020 7946 0958 or
            my mobile 07700 900123 after 6."""),
            prose("""
            Extract the usernames from these comments: @lena_k great post! / @mark99 disagree /
            thanks @joy.codes"""),
            prose("""
            Find the order numbers in this chat: my orders were #10234 and #10299, and my
            friend's was #10301.""")),
        lit(e, "form-fill", 1, prose("""
            Fill in this form from the email below. Fields: full name, company, role, start
            date, laptop preference. Email: Hi! I'm Ravi Shah, joining Lumen Robotics as a QA
            lead on 2 June. I'd like a MacBook if possible."""),
            prose("""
            From this text, fill out name, age, city and occupation: 'My name is Olga, I'm 34,
            I work as a vet and I live in Tallinn.'"""),
            prose("""
            Create a contact card (name, phone, email, company) from this signature: Daniel
            Osei | Head of Partnerships | Brightwave Ltd | +233 20 123 4567 |
            daniel@brightwave.co"""),
            prose("""
            Turn this booking request into structured fields: 'Table for 6 on Friday the 9th
            at 7:30pm under Moreno, one vegan, window seat if possible.'""")),
        lit(e, "classify-extract", 0, prose("""
            From these support messages, extract the product mentioned in each: 'My Aurora X2
            won't charge', 'Trailhead backpack zip broke', 'Summit jacket is too small'."""),
            prose("""
            Pick out the dates and amounts from these payment reminders: 'Pay $120 by 5 May',
            'Your \u00a345 invoice is due 12/05', 'Reminder: \u20ac300 due on the 20th'."""),
            prose("""
            Extract the sender and subject of each email from this inbox list: From: Lisa -
            Q3 report; From: IT - password expiry; From: Sam - lunch Friday?"""),
            prose("""
            Extract every country mentioned in this sentence: We ship to Canada, Mexico, most
            of the EU except Malta, and Japan.""")),
        lit(e, "extract-heavy", 3, prose("""
            Extract a complete, normalised dataset from the following 10 invoices: for each,
            the vendor, invoice number, issue and due dates (ISO 8601), currency, net, tax and
            gross amounts, and each line item. Output must be valid JSON matching the schema I
            gave earlier, every amount must be a number, and you should flag any invoice whose
            totals don't add up."""),
            prose("""
            Go through this 40-page tenancy agreement and extract every obligation of the
            tenant, every obligation of the landlord, all deadlines and notice periods, and all
            fees and penalties, with the clause number for each. Output a table per party and
            make sure nothing is paraphrased in a way that changes the meaning."""),
            prose("""
            From the attached set of 25 CVs, extract for each candidate: name, email, years of
            experience, current title, skills (normalised to our taxonomy), degrees and
            languages. Return CSV with exactly those columns, one row per candidate, and leave
            a field empty rather than guessing.""")),
        tpl(e, "quotes-from-article", 0, ("Extract any direct quotes and who said them: {doc}",
                                          "Pull out the people quoted or named in this "
                                          "article, with their roles: {doc}"),
            count=4, doc=_passages("short", ("bike-lanes", "earnings"))),
        tpl(e, "facts-table", 1, ("Put the key facts from this article into a table (fact, "
                                  "value, unit):\n\n{doc}",
                                  "Extract the statistics from this text as JSON with a "
                                  "description for each:\n\n{doc}"),
            count=6, doc=_passages("medium", ("sleep-study", "coral-reef", "earnings",
                                              "printing-press", "postmortem"))),
        tpl(e, "dates-events-article", 0, ("List every date or time mentioned in this article "
                                           "and what happened then: {doc}",
                                           "Extract the dates and the events tied to them:"
                                           "\n\n{doc}"),
            count=5, doc=(_ARTICLES["postmortem"][0], _ARTICLES["hybrid-memo"][0],
                          _ARTICLES["launch-meeting"][3], _ARTICLES["printing-press"][1],
                          _ARTICLES["bike-lanes"][3])),
        tpl(e, "entities-long", 2, ("Extract all organisations, people, places and money "
                                    "amounts from this document as JSON:\n\n{doc}",
                                    "Find every named entity in the text below and return "
                                    "them grouped by type:\n\n{doc}"),
            count=5, doc=_passages("long", ("bike-lanes", "earnings", "postmortem",
                                            "printing-press", "hybrid-memo"))),
        lit(e, "inline-short-2", 0, "Extract the IP addresses: failed login from 10.0.0.12, "
            "then 192.168.1.40, then 10.0.0.12 again.", "Get the SKU numbers out of: 'SKU "
            "4411-B restocked, SKU 9902-A sold out'.", "Which times are mentioned? 'Doors at "
            "7, show at 8:30, last train 23:45.'", "List the names in: 'Thanks to Ana, Ben "
            "and Chidi for their help, and to Dr. Wu for the venue.'", "Pull out the "
            "temperatures: Monday 21C, Tuesday 18C, Wednesday 25C.", "Extract the file names "
            "from: 'attached report_q3.pdf, budget.xlsx and notes.docx'."),
        lit(e, "medical-2", 1, prose("""
            List the symptoms and their durations from this message: I've had a sore throat
            for four days, a fever since Tuesday and a cough that started last week."""),
            prose("""
            Extract the vaccine names and dates from this record: MMR 2015-04-02, Tetanus
            booster 2021-09-14, Influenza 2024-10-30."""),
            prose("""
            From this note, pull the patient's allergies and current medications: allergic to
            latex and shellfish; takes levothyroxine 50 mcg daily and vitamin D weekly.""")),
        tpl(e, "article-extract", 0, ("Extract all the numbers and dates from this text:\n\n"
                                      "{doc}",
                                      "Pull out the names of people and organisations "
                                      "mentioned here: {doc}",
                                      "{doc}\n\nExtract the key figures as a list.",
                                      "List every place and amount mentioned in this: {doc}"),
            count=10, doc=_passages("short")),
        tpl(e, "article-extract-medium", 1, ("Extract the entities (people, organisations, "
                                             "places, dates) from this article as JSON:\n\n{doc}",
                                             "Give me a table of every number in this text and "
                                             "what it refers to:\n\n{doc}"),
            count=7, doc=_passages("medium")),
        tpl(e, "reviews-threads", 0, ("Extract the product, the problems and the rating from "
                                      "this: {text}",
                                      "Pull the names, dates and times out of this message: "
                                      "{text}"),
            count=6, text=(*_REVIEWS, *_THREADS)),
        tpl(e, "long-extract-2", 2, ("Extract every date, number and named entity from the "
                                     "document below into a table:\n\n{doc}",
                                     "Return a JSON list of all the facts with figures in this "
                                     "document:\n\n{doc}"),
            count=5, doc=_passages("long")),
    ]


def bank(
    capability: str, name: str, effort: int, lines: tuple[str, ...],
    slots: dict[str, tuple[str, ...]], per: int = 3,
) -> list[SeedGroup]:
    """One group per instruction phrasing, each filled ``per`` times from the shared slots."""
    return [
        SeedGroup(capability, f"{name}-{number:02d}", effort, (line,), slots, per)
        for number, line in enumerate(lines, start=1)
    ]


def _pool() -> tuple[str, ...]:
    """Every passage the summarization, extraction and translation banks draw from."""
    return (*_passages("short"), *_passages("medium"), *_REVIEWS, *_THREADS,
            *_docs("email", "news", "job", "contract", "event", "actions", "press", "ticket",
                   "flat", "shipping", "prescription", "itinerary", "agenda", "review"),
            *more.PASSAGES, *more.PASSAGES_2)


_SUMMARIZE_LINES = (
    "Summarize the text below.\n\n{text}",
    "Can you sum up this passage in a couple of sentences? {text}",
    "{text}\n\nSummarise the above, please.",
    "I only have a minute. What's the short version of this?\n\n{text}",
    "Give me a brief summary:\n{text}",
    "Write a 2-line summary of the following.\n\n{text}",
    "{text}\n\nTL;DR?",
    "What is this text mainly about? Keep it short.\n\n{text}",
    "Please provide a concise summary of the following content: {text}",
    "Condense the following into three bullet points:\n\n{text}",
    "{text}\n\nBoil that down to the essentials for me.",
    "Summarize this so I can forward it to my boss: {text}",
    "Give me the main idea of this in one sentence:\n\n{text}",
    "Shorten this to a quick recap: {text}",
    "Recap the key points of this text:\n\n{text}",
    "{text}\n\nCould you give me a summary of what I just pasted?",
    "Make a short abstract of the passage below.\n\n{text}",
    "Summarize in simple words for a non-expert: {text}",
    "Create a brief summary with the most important information from this:\n\n{text}",
    "Read this and tell me the gist: {text}",
    "{text}\n\nsummarize",
    "Please summarise the following for a newsletter blurb of about 40 words:\n\n{text}",
    "What are the takeaways from this text, in brief?\n\n{text}",
    "Reduce this to its core message:\n{text}",
    "I need a quick summary of this before my meeting: {text}",
    "Sum up the following in plain language, no more than three sentences.\n\n{text}",
    "Write a short overview of this passage:\n\n{text}",
    "{text}\n\nIn a few words, what's the point?",
    "Summarize the following paragraph(s) as a bulleted list of the main points: {text}",
    "Give a summary of this text that a ten-year-old could follow:\n\n{text}",
)
_SUMMARIZE_DEEP_LINES = (
    "Write a structured summary of this with headings for background, key facts and next "
    "steps:\n\n{text}",
    "Give me a detailed summary of the following, covering every main point in order:\n\n"
    "{text}",
    "Summarize this thoroughly for a briefing document, keeping the important numbers:\n\n"
    "{text}",
    "Produce an executive summary of the text below with a one-line headline and five "
    "bullets:\n\n{text}",
)
_EXTRACT_LINES = (
    "Extract every name, date and number from the text below.\n\n{text}",
    "List all the people and organisations mentioned in this: {text}",
    "{text}\n\nPull out all the dates and amounts mentioned above.",
    "From this text, extract the entities as JSON with keys people, organisations, places, "
    "dates:\n\n{text}",
    "Find all the numbers in this passage and say what each one refers to: {text}",
    "Make a table of every figure in the following text.\n\n{text}",
    "Which places and locations are mentioned here? Just list them.\n\n{text}",
    "{text}\n\nExtract the key facts as key-value pairs.",
    "Identify and list all named entities in this text:\n{text}",
    "Get me every date and time in this text, in ISO format:\n\n{text}",
    "Pull the structured data out of this: who, what, when, where, how much.\n\n{text}",
    "Extract all monetary amounts and percentages from this passage: {text}",
    "Return a JSON array of the people mentioned and their roles:\n\n{text}",
    "{text}\n\nList only the proper nouns from the text above.",
    "Highlight the key data points in this text as a bullet list of field: value.\n\n{text}",
    "Extract the company names and what each one did: {text}",
    "Scan this text and pull out every quantity with its unit:\n\n{text}",
    "Give me a CSV of all the numbers in the passage with a short label for each:\n\n{text}",
    "Pick out any email addresses, phone numbers, dates or reference numbers in this:\n\n"
    "{text}",
    "Parse the following into structured fields.\n\n{text}",
    "What dates, names and figures appear in this? Return them as a list.\n\n{text}",
    "{text}\n\nExtract the entities and output them as YAML.",
    "Find every mention of a person, and the sentence it appears in: {text}",
    "Extract the facts from this passage into a table with columns 'item' and 'value':\n\n"
    "{text}",
    "Get all the keywords and named things out of this text: {text}",
    "List the time references (dates, days, times, durations) in this text:\n\n{text}",
    "Extract the who and the how-much from this: {text}",
    "Pull every organisation, product and place out of this into three lists:\n\n{text}",
    "Convert the information in this text into a JSON object with sensible field names:\n\n"
    "{text}",
    "Extract all statistics (numbers with what they measure) from the text below.\n\n{text}",
)
_EXTRACT_DEEP_LINES = (
    "Extract every entity, date, amount and relationship from this text into a normalised "
    "JSON document; use null for anything missing and don't invent values:\n\n{text}",
    "Build a complete fact table from the text below: one row per fact, with subject, "
    "attribute, value, unit and source sentence.\n\n{text}",
    "Extract all structured information from this passage and validate it: flag any number "
    "that looks inconsistent.\n\n{text}",
)
_TRANSLATE_LINES = (
    "Translate the text below into {lang}.\n\n{text}",
    "Can you translate this into {lang}? {text}",
    "{text}\n\nTranslate the above to {lang}, please.",
    "Please give me a {lang} translation of the following:\n\n{text}",
    "Render this in {lang}, keeping the tone: {text}",
    "I need this in {lang}:\n{text}",
    "Translate into natural, fluent {lang}:\n\n{text}",
    "{text}\n\nHow would this read in {lang}?",
    "Translate this passage from English to {lang}.\n\n{text}",
    "Could you put the following into {lang} for a colleague who doesn't read English? {text}",
    "Translate word for word where possible, into {lang}:\n\n{text}",
    "Give me this text in {lang}:\n\n{text}",
    "{lang} please:\n\n{text}",
    "Translate the message below into polite {lang}.\n\n{text}",
    "Help me translate this to {lang} for our customers: {text}",
    "Convert this English text into {lang}, keeping names and numbers unchanged:\n\n{text}",
    "What would this be in {lang}? {text}",
    "Translate to {lang} and keep the paragraph breaks:\n\n{text}",
    "Please translate, target language {lang}:\n{text}",
    "Make a {lang} version of this text:\n\n{text}",
)
_TO_ENGLISH_LINES = (
    "Translate this into English: {text}",
    "What does this say in English?\n\n{text}",
    "{text}\n\nEnglish please.",
    "Can you translate this message for me? Not sure which language it is.\n\n{text}",
    "I received this and don't understand it. Translate to English: {text}",
    "Please give me an English translation:\n{text}",
    "{text}\n\nWhat does that mean?",
    "Translate into English, keeping it natural: {text}",
)
_FOREIGN_POOL = (*_FOREIGN_LONG, *_FOREIGN)


def _banks() -> list[SeedGroup]:
    pool = _pool()
    targets = ("French", "Spanish", "German", "Italian", "Portuguese", "Japanese", "Chinese",
               "Korean", "Russian", "Dutch", "Polish", "Turkish", "Arabic", "Swedish")
    per = PASSAGE_FILLS
    return [
        *bank("summarization", "bank", 0, _SUMMARIZE_LINES, {"text": pool}, per),
        *bank("summarization", "bank-deep", 1, _SUMMARIZE_DEEP_LINES, {"text": pool}, per),
        *bank("extraction", "bank", 0, _EXTRACT_LINES, {"text": pool}, per),
        *bank("extraction", "bank-deep", 1, _EXTRACT_DEEP_LINES, {"text": pool}, per),
        *bank("translation", "bank", 0, _TRANSLATE_LINES, {"text": pool, "lang": targets}, per),
        *bank("translation", "bank-en", 0, _TO_ENGLISH_LINES, {"text": _FOREIGN_POOL}, per),
    ]


_HISTORY = ("the French Revolution", "the fall of the Roman Empire", "the Cold War",
            "the Industrial Revolution", "the moon landing", "the Great Depression",
            "the Renaissance", "the Silk Road trade", "the collapse of the Soviet Union",
            "the Meiji Restoration", "the abolition of slavery in Britain", "the Black Death")
_SCIENCE = ("photosynthesis", "black holes", "the immune system", "plate tectonics",
            "the water cycle", "volcanoes", "DNA replication", "hurricanes", "tides",
            "earthquakes", "evolution by natural selection", "rainbows", "antibiotics")
_ISSUES = ("social media", "electric cars", "nuclear power", "remote work", "cryptocurrency",
           "fast fashion", "mass tourism", "online learning", "self-driving cars",
           "a sugar tax", "space tourism", "a four-day work week", "gene editing in crops",
           "banning phones in schools", "universal basic income")
_SITUATIONS = ("I got a job offer in another city", "my best friend is moving abroad",
               "I'm thinking about adopting a rescue dog", "I want to go back to university "
               "at 35", "my teenager wants to quit football", "I'm planning to start a "
               "small bakery", "my landlord is selling our flat", "I've been offered a "
               "promotion that means managing my friends")
_COUNTS = ("5", "6", "7", "8", "10", "12")
_LANGS = ("French", "Spanish", "German", "Italian", "Japanese", "Portuguese", "Korean")

_TOPIC_LINES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # capability: (lines over _HISTORY as {h}, lines over _SCIENCE as {s})
    "chat": (
        ("Write a silly poem about {h}.", "Give me a fun pub-quiz question about {h}.",
         "Recommend a good film or documentary about {h}.",
         "Who's the most fun person from {h} to have dinner with, in your opinion?",
         "Tell me a joke about {h}."),
        ("Tell me a fun fact about {s}!", "Write a haiku about {s}.",
         "Make up a short song about {s} for my kids.", "I think {s} is so cool. Do you?",
         "Write a cute bedtime story that involves {s}."),
    ),
    "reasoning": (
        ("What were the root causes of {h}? Weigh them against each other.",
         "Why did {h} happen when it did and not earlier?",
         "Analyze the long-term consequences of {h}.",
         "Could {h} have been avoided? Argue it through.",
         "What can {h} teach us about today? Reason carefully."),
        ("Explain why {s} works the way it does, step by step.",
         "What would happen if {s} suddenly stopped?",
         "How do scientists know what they know about {s}? Walk me through the evidence.",
         "What's a common misconception about {s}, and why is it wrong?",
         "Why does {s} matter for life on Earth? Reason it out."),
    ),
    "summarization": (
        ("Summarize {h} in five bullet points.", "Give me a one-paragraph summary of {h}.",
         "Quick recap of {h} for my exam tomorrow, please.",
         "Summarize the key events of {h} in order, briefly."),
        ("Give me a short overview of {s}.", "Summarize how {s} works in three sentences.",
         "Sum up {s} for a 12-year-old in a few lines.",
         "Summarize the main facts about {s} as revision notes."),
    ),
    "translation": (
        ("Translate 'I am writing an essay about {h}' into {lang}.",),
        ("How do you say '{s}' in {lang}?", "What's the {lang} term for {s}?"),
    ),
    "code": (
        ("Write a Python script that fetches the Wikipedia summary of {h} and saves it to a "
         "file.",),
        ("Build a small quiz app in JavaScript with ten questions about {s}.",
         "Write a Python simulation that visualises {s} with matplotlib."),
    ),
}
_ISSUE_LINES: dict[str, tuple[str, ...]] = {
    "chat": ("Write a funny poem about {issue}.", "What do you think about {issue}? Just "
             "curious.", "Write a catchy slogan for a campaign about {issue}.",
             "Tell me a joke about {issue}.", "Write a short sci-fi story set in a world "
             "shaped by {issue}."),
    "reasoning": ("What are the strongest arguments for and against {issue}?",
                  "Is {issue} good or bad for society overall? Reason it through.",
                  "Why do people disagree so strongly about {issue}?",
                  "Who wins and who loses from {issue}? Explain your reasoning.",
                  "Evaluate the claim that {issue} does more harm than good.",
                  "Think through how {issue} could change cities over the next 20 years."),
    "summarization": ("Summarize the debate around {issue} in a few bullet points.",
                      "Give me a short, neutral summary of what's known about {issue}.",
                      "TL;DR on {issue}: what are the main points on each side?"),
    "translation": ("Translate 'We need to talk about {issue}' into {lang}.",
                    "How would I say 'I have mixed feelings about {issue}' in {lang}?"),
    "code": ("Write a Python script that collects news headlines about {issue} from an RSS "
             "feed.", "Build a React page with a poll about {issue} and show the results in "
             "a bar chart."),
    "math": ("A survey of 1,200 people found 38% support {issue}. How many people is that, "
             "and what's the margin of error?",
             "Support for {issue} grows 4 percentage points a year from 30%. When does it "
             "pass 50%?",
             "In a poll about {issue}, 540 of 900 said yes. Compute a 95% confidence interval "
             "for the true share."),
}
_COUNT_LINES: dict[str, tuple[str, ...]] = {
    "math": ("How many ways can {n} people line up for a photo?",
             "If {n} people each shake hands with everyone else once, how many handshakes "
             "are there?",
             "What's the probability that {n} random people all have different birthdays?",
             "How many different teams of 3 can be picked from {n} players?"),
    "code": ("Write a Python function that lists every way {n} people can line up.",
             "Write code that simulates {n} people shaking hands and counts the handshakes.",
             "Write a program that estimates by simulation the chance that {n} people share a "
             "birthday."),
    "reasoning": ("{n} friends want to split a restaurant bill fairly but ordered very "
                  "different things. What's the fairest approach, and why?",
                  "{n} people must agree on one holiday destination. What voting method is "
                  "fairest, and what can go wrong?"),
}
_SITUATION_LINES: dict[str, tuple[str, ...]] = {
    "chat": ("{sit}! I'm so excited. Say something nice!",
             "{sit}. Can you write me a funny message to share the news with my friends?",
             "Guess what, {sit}! Cheer me on?"),
    "reasoning": ("{sit}. Help me think through the pros and cons.",
                  "{sit}. What factors should decide what I do next, and how should I weigh "
                  "them?",
                  "{sit}. What could go wrong, and how likely is each risk?"),
    "translation": ("How do I tell my Spanish-speaking neighbour '{sit}' in Spanish?",),
}


def _short_banks() -> list[SeedGroup]:
    # Analysis, code and multi-step maths are medium work even when the question is short.
    effort = {"chat": 0, "translation": 0, "summarization": 0, "reasoning": 1, "code": 1,
              "math": 1}
    groups: list[SeedGroup] = []
    for capability, (history, science) in _TOPIC_LINES.items():
        langs = {"lang": _LANGS} if capability == "translation" else {}
        work = effort[capability]
        groups += bank(capability, "history", work, history, {"h": _HISTORY, **langs})
        groups += bank(capability, "science", work, science, {"s": _SCIENCE, **langs})
    for capability, lines in _ISSUE_LINES.items():
        langs = {"lang": _LANGS} if capability == "translation" else {}
        groups += bank(capability, "issue", effort[capability], lines, {"issue": _ISSUES, **langs})
    for capability, lines in _COUNT_LINES.items():
        groups += bank(capability, "count", effort[capability], lines, {"n": _COUNTS})
    for capability, lines in _SITUATION_LINES.items():
        groups += bank(capability, "situation", effort[capability], lines, {"sit": _SITUATIONS})
    return groups



def topic_bank(
    capability: str, name: str, effort: int, lines: tuple[str, ...],
    slots: dict[str, tuple[str, ...]], per: int = 3,
) -> list[SeedGroup]:
    """Like ``bank``, but each line is filled only from the slots it names."""
    return [
        SeedGroup(capability, f"{name}-{number:02d}", effort, (line,),
                  {k: v for k, v in slots.items() if "{" + k + "}" in line}, per)
        for number, line in enumerate(lines, start=1)
    ]


def _round_two() -> list[SeedGroup]:
    """The second round (``classifier_seed_phrasings``): new phrasings over shared pools."""
    pool = _pool()
    targets = ("French", "Spanish", "German", "Italian", "Portuguese", "Japanese", "Chinese",
               "Korean", "Russian", "Dutch", "Polish", "Turkish", "Greek", "Vietnamese")
    effort = {"chat": 0, "translation": 0, "summarization": 0, "extraction": 0,
              "reasoning": 1, "code": 1, "math": 1}
    shared = {"lang": _LANGS, "pl": more.PROGRAMMING, "tech": more.TECH,
              "dec": more.DECISIONS, "city": more.CITIES, "film": more.FILMS,
              "h": _HISTORY, "s": _SCIENCE, "snip": more.SNIPPETS}
    per = PASSAGE_FILLS
    groups = [
        *bank("summarization", "bank2", 0, more.SUMMARIZE, {"text": pool}, per),
        *bank("summarization", "bank2-deep", 1, more.SUMMARIZE_DEEP, {"text": pool}, per),
        *bank("extraction", "bank2", 0, more.EXTRACT, {"text": pool}, per),
        *bank("extraction", "bank2-deep", 1, more.EXTRACT_DEEP, {"text": pool}, per),
        *bank("extraction", "from-article", 0, more.EXTRACT_FROM_ARTICLE,
              {"text": (*_passages("short"), *_passages("medium"))}, per),
        *bank("summarization", "from-document", 0, more.SUMMARIZE_DOCUMENT,
              {"text": _docs("email", "news", "job", "contract", "event", "actions", "press",
                             "ticket", "flat", "shipping", "itinerary", "sms", "review")}, per),
        *bank("extraction", "short", 0, more.EXTRACT_SHORT, {"text": pool}, per),
        *bank("summarization", "short", 0, more.SUMMARIZE_SHORT, {"text": pool}, per),
        *bank("translation", "short", 0, more.TRANSLATE_SHORT, {"text": pool, "lang": targets},
              per),
        *bank("translation", "bank2", 0, more.TRANSLATE, {"text": pool, "lang": targets}, per),
        *bank("translation", "bank2-en", 0, more.TO_ENGLISH, {"text": _FOREIGN_POOL}, per),
        *bank("extraction", "bank4", 0, more.EXTRACT_4, {"text": pool}, per),
        *bank("summarization", "bank4", 0, more.SUMMARIZE_4, {"text": pool}, per),
        *bank("translation", "bank4", 0, more.TRANSLATE_4, {"text": pool, "lang": targets}, per),
        *bank("translation", "bank4-en", 0, more.TO_ENGLISH_2, {"text": _FOREIGN_POOL}, per),
        *bank("extraction", "bank5", 0, more.EXTRACT_5, {"text": pool}, per),
        *bank("summarization", "bank5", 0, more.SUMMARIZE_5, {"text": pool}, per),
        *bank("translation", "bank5", 0, more.TRANSLATE_5, {"text": pool, "lang": targets}, per),
        *topic_bank("code", "languages", 0, more.PROGRAMMING_LINES, shared),
        *topic_bank("math", "numbers", 1, more.MATH_LINES, more.MATH_SLOTS),
        *topic_bank("math", "numbers-deep", 3, more.MATH_DEEP, more.MATH_SLOTS),
    ]
    for name, table in (("tech", more.TECH_LINES), ("decision", more.DECISION_LINES),
                        ("city", more.CITY_LINES), ("film", more.FILM_LINES),
                        ("history2", more.HISTORY_LINES), ("science2", more.SCIENCE_LINES),
                        ("snippet", more.SNIPPET_LINES)):
        for capability, lines in table.items():
            groups += topic_bank(capability, name, effort[capability], lines, shared)
    for literal in (more.LITERAL, more.LITERAL_3, more.LITERAL_4, more.LITERAL_5):
        for capability, named in literal.items():
            for name, (work, texts) in named.items():
                groups.append(lit(capability, name, work, *texts))
    return groups

# fmt: on


if __name__ == "__main__":
    raise SystemExit(main())
