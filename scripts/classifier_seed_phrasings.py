"""Second round of the classifier seed set's content: more phrasings, passages and topics.

Plain data, read by ``make_classifier_seed.py`` (which owns the grouping and filling rules).
Each instruction line below becomes its own group there, filled a few times from pools that
several capabilities share, so a phrasing is what separates the classes, never the topic or
the pasted passage. Written for this project by hand, like the first round; no line was
copied from an external dataset.
"""

from __future__ import annotations


def _prose(text: str) -> str:
    return " ".join(text.split())


# fmt: off

# -- shared pools ----------------------------------------------------------------------------

# Short texts of everyday kinds, pasted into summarization, extraction and translation
# requests alike. Names, companies and places are fictional.
PASSAGES = (
    _prose("""Dear parents, the spring fair takes place on Saturday 12 April from 10:00 to
        15:00 in the school playground. Year 4 will run the cake stall and Year 6 the
        tombola. We still need six volunteers for the 14:00-15:00 clean-up; please sign up
        with Mrs Okafor at the office by Wednesday. All money raised goes to the new library
        corner."""),
    _prose("""Release 4.2.0 (18 June). New: dark mode on Android and iOS, CSV export for
        reports, and two-factor login by authenticator app. Fixed: the calendar no longer
        shows events twice after a time-zone change; uploads over 25 MB now resume after a
        dropped connection. Removed: the legacy v1 API, deprecated since January."""),
    _prose("""The tenant shall give the landlord at least two months' written notice before
        ending this tenancy. The deposit of \u00a31,800 will be returned within 30 days of the
        end of the tenancy, less any reasonable costs for damage beyond fair wear and tear.
        Pets are not permitted without the landlord's prior written consent."""),
    _prose("""Travel advisory, updated 2 November: heavy rain is expected across the northern
        provinces until Thursday. The coastal road between Porto Alto and Vila Serra is
        closed after a landslide, and ferries to the islands are running a reduced timetable.
        Travellers should carry water, keep their phones charged and check the regional
        transport site before setting out."""),
    _prose("""Harbour City came from behind to beat Westfield 3-2 on Sunday. Westfield led
        2-0 at half-time through goals from Ito and Mensah, but a tactical switch to three at
        the back turned the match. Diaz scored twice in eight minutes, and 19-year-old
        substitute Kowalski headed the winner in stoppage time in front of 24,000 fans."""),
    _prose("""Hello, I ordered a blue sofa (order 88-1204) on 3 March and was promised
        delivery within four weeks. It is now 19 May. I've called three times, been told
        twice that it was 'on the truck', and nobody has called back as promised. Please
        either deliver it this week or refund the \u20ac1,349 I paid. Regards, Ingrid Holm"""),
    _prose("""Minutes, Maple Court residents' association, 7 October. Present: 14 households.
        The roof repair quote of $23,400 from Apex Roofing was approved, 11 votes to 3, to be
        paid from the reserve fund. The bike shed will get a new lock by November. Next
        meeting: 2 December at 19:00 in the community room."""),
    _prose("""We studied whether short daily walks improve mood in office workers. 96
        volunteers were randomly assigned to a 20-minute lunchtime walk or to their usual
        routine for eight weeks. The walking group reported higher mood scores (mean
        difference 0.6 on a 5-point scale) and fewer afternoon energy dips, with no change in
        sleep quality."""),
    _prose("""Water supply notice: because of urgent pipe repairs, homes in the Eastgate and
        Millbrook districts will have no running water on Tuesday from 08:00 to about 16:00.
        A water tanker will be parked outside St Luke's church. Residents who rely on
        medical equipment that needs water can call 0800 555 0199 for help."""),
    _prose("""Sam: deploy of checkout-api is stuck at 60%. Jo: the new pods fail their health
        check, looks like the REDIS_URL secret is missing in prod. Sam: I'll roll back for
        now. Jo: ok, I'll add the secret and we can retry after lunch. Sam: rolled back at
        11:52, error rate is back to normal."""),
    _prose("""Your booking is confirmed. Hotel Lindenhof, Bahnhofstrasse 8, Lucerne. Check-in
        Friday 21 June from 15:00, check-out Sunday 23 June by 11:00. Double room, breakfast
        included, total CHF 412.00, paid. Free cancellation until 18 June. Booking number
        LH-55102."""),
    _prose("""In this episode we talk to marine engineer Ruth Adeyemi about the quiet
        revolution in cargo shipping: ships that use rigid sails to cut fuel use by a fifth,
        the ports racing to offer shore power, and why the first ammonia-fuelled vessels
        are still stuck in trials. Plus: listener questions about container ship sizes."""),
    _prose("""This gallery shows glass objects made in the Venetian island of Murano between
        1500 and 1700. The clear 'cristallo' glass on the left wall was a closely guarded
        recipe; workers who left the island to sell the secret abroad could be punished.
        The blue goblet in the centre case is the oldest piece in the collection."""),
    _prose("""We set off from the car park at 7 am and reached the ridge just after ten. The
        path was muddier than the guidebook promised, and the last kilometre to the summit
        was a scramble over loose rock. The view made up for it: three lakes, a glacier, and
        not another person in sight. Total: 14 km, about 1,100 m of climbing."""),
    _prose("""Q2 update from the growth team. Objective: make onboarding faster. Key results:
        median time to first project fell from 11 to 6 minutes (target 5); activation rose
        from 38% to 44% (target 45%); the new welcome checklist shipped on 2 May. Missed:
        the in-app tour, pushed to Q3 because of design capacity."""),
    _prose("""Hi Tom, the plumber can come on Thursday between 8 and 12 to look at the leak
        under the kitchen sink. He charges \u00a365 for the call-out plus parts. Can you
        leave the key with Mrs Patel at number 14? I'll be at work. Thanks, Laura"""),
)

# More kinds of pasted text (abstracts, biographies, FAQs, how-tos, stories, posts, policies),
# so that no kind of passage belongs to one capability and a new passage is not read by its
# topic alone.
PASSAGES_2 = (
    _prose("""Abstract. We measured the effect of classroom air filters on absences in 28
        primary schools over one winter. Schools were randomly assigned to receive HEPA
        filters or placebo units. Absence from respiratory illness fell by 11% in filtered
        classrooms (95% CI 4-18%). Teachers in both groups rated the units as quiet. Costs
        were about €90 per classroom per year."""),
    _prose("""Born in 1912 in a fishing village near Bergen, Ingrid Solberg trained as a nurse
        before becoming one of Norway's first female ship's doctors. During the war she ran
        a field hospital in the north, and in 1951 she founded the coastal clinic network
        that still bears her name. She died in 1989, aged 77."""),
    _prose("""FAQ. Can I change my delivery address after ordering? Yes, until the order is
        packed, usually within two hours. Go to My Orders and choose Edit address. After
        that, contact support on 0800 123 4567 and we'll try to redirect the parcel with the
        courier. Redirected parcels may arrive one working day later."""),
    _prose("""To replace the filter, switch the purifier off and unplug it. Remove the front
        panel by pressing the two tabs at the bottom. Pull out the old filter, remove the
        plastic wrap from the new one and slide it in with the arrows pointing towards the
        fan. Refit the panel and hold the reset button for five seconds."""),
    _prose("""The lighthouse keeper had not spoken to anyone in nine days when the boat
        appeared. It drifted in on the tide with its oars shipped and a single passenger
        asleep in the bow: a girl of perhaps ten, wrapped in a coat far too large for her,
        holding a tin box she would not let go of even in her sleep."""),
    _prose("""Just finished my first half marathon!! 2:04:37, way faster than I expected.
        Huge thanks to everyone at Riverside Runners for the Sunday long runs, and to my
        sister for standing at mile 10 with a sign that said 'touch here for power'. Legs
        are destroyed. Pizza is on its way."""),
    _prose("""Remote work policy, section 4. Employees may work from another country for up
        to 30 days in any 12-month period, subject to manager approval. Longer stays need
        sign-off from HR and Legal because of tax and social-security rules. Company
        equipment must not be taken to countries on the restricted list in Appendix B."""),
    _prose("""The Tamsin Valley wine route runs for 42 km between the towns of Alder and
        Cray. Eleven family wineries along the way offer tastings, most from April to
        October. Cyclists can hire e-bikes at Alder station, and a shuttle bus runs every
        hour at weekends. The harvest festival takes place on the last weekend of
        September."""),
    _prose("""Dear Mr Osei, thank you for your application for the position of laboratory
        technician. We are pleased to invite you to an interview on Monday 14 October at
        10:30 at our Cambridge site, Building 3. The interview will last about an hour and
        includes a short practical task. Please bring photo ID. Kind regards, Helen Marsh,
        Recruitment"""),
    _prose("""Patient information: you have been prescribed a course of physiotherapy for
        your lower back. Attend two sessions a week for six weeks. Do the stretching
        exercises on the sheet every morning, but stop if the pain spreads down your leg.
        Avoid lifting anything heavier than 5 kg until your next review on 2 April."""),
    _prose("""Highlights of the annual report: membership grew to 3,410, up 14%. The youth
        programme ran 62 workshops in nine schools. Income was £412,000 against
        spending of £398,500, leaving a small surplus that the board will put towards
        the new community van. Volunteer hours reached 21,000, a record."""),
    _prose("""In 1854 a cholera outbreak killed more than 600 people around Broad Street in
        London. The physician John Snow mapped the deaths and found that they clustered
        around a single water pump. After he persuaded local officials to remove the pump's
        handle, new cases fell. His map became a founding example of epidemiology."""),
    _prose("""The Kestrel 14 laptop weighs 1.2 kg and has a 14-inch 2.8K OLED screen, 16 GB
        of RAM and a 1 TB SSD. Battery life is rated at 15 hours of video playback. It has
        two USB-C ports, one USB-A port and a headphone jack, but no SD card reader. Price
        from $1,299; available in grey and sage green from 5 March."""),
    _prose("""Volunteers wanted! The Greenhill community garden needs help on Saturday
        mornings this spring to build raised beds, repair the shed roof and plant the herb
        spiral. No experience needed; tools, gloves and tea are provided. Under-16s are
        welcome with an adult. Email garden@greenhill.org or just turn up at 9."""),
    _prose("""Ops log, Thursday: 02:10 disk usage on db-03 at 91%; 02:25 old WAL files
        archived, usage down to 74%; 06:40 nightly backup finished 35 minutes late; 09:15
        certificate for api.example.net renewed, expires 12 Feb; 11:05 alert threshold for
        queue depth raised from 500 to 800 after review with the payments team."""),
    _prose("""The Marlow Street bridge will close to traffic from 1 to 26 July for
        resurfacing. Pedestrians and cyclists can still cross on the east footway. Bus
        routes 12 and 41 will divert via Canal Road and stops on Marlow Street will be
        suspended. Works will run from 7:00 to 19:00, Monday to Saturday."""),
    _prose("""Reader question: my teenage son only wants to eat pasta. Our nutritionist
        replies: don't panic. Pasta itself is fine; the key is what goes with it. Try adding
        one vegetable he already tolerates, serve protein on the side rather than mixed in,
        and let him cook once a week. Most picky phases ease by the late teens."""),
    _prose("""Terms of the offer: 20% off your first three months of the Premium plan for new
        customers who sign up before 31 August. After three months the plan renews at the
        standard price of €14.99 per month. The discount cannot be combined with
        student pricing and is limited to one account per household."""),
    _prose("""Interview transcript. Q: What made you start the bakery? A: Honestly, I lost my
        office job in 2020 and I was baking every day anyway. Q: And now? A: We have two
        shops, eighteen staff, and we still make every croissant by hand. Q: What's next?
        A: A bakery school. People want to learn, and I want to teach."""),
    _prose("""The red fox is found across the Northern Hemisphere, from the Arctic tundra to
        city centres. It eats almost anything: rodents, birds, insects, fruit and food
        waste. Urban foxes often have smaller territories than rural ones because food is
        easier to find. Litters of four to six cubs are born in spring."""),
    _prose("""Product recall: Sunny Days apple juice, 1-litre cartons with best-before dates
        between 10 and 24 November, may contain small pieces of glass. Customers should not
        drink the product and can return it to any store for a full refund, with or without
        a receipt. No other Sunny Days products are affected."""),
    _prose("""Lecture notes, week 5: supply and demand. A price ceiling below the
        equilibrium price creates a shortage, because quantity demanded rises while
        quantity supplied falls. Rent control is the usual example. Black markets, queues
        and lower quality are common side effects. Next week: elasticity and tax
        incidence."""),
    _prose("""Hey! So the plan for Saturday: meet at Lena's at 4, we'll drive to the lake
        together (Sam has the big car), swim if it's warm, barbecue at 7. Everyone bring one
        thing to grill and something to drink. Tents are optional but Jamie says the
        campsite has space. Text me if you can't make it."""),
    _prose("""Statement from the Riverside Hospital trust: following the cyberattack on 8
        May, all emergency services continued to operate. Some routine appointments were
        postponed, and patients affected will be contacted by 20 May. There is no evidence
        that patient records were copied. The trust is working with the national cyber
        security centre."""),
    _prose("""Warranty: this kettle is covered for two years from the date of purchase
        against defects in materials and workmanship. The warranty does not cover limescale
        damage, misuse, or use with a power supply other than 220-240 V. To make a claim,
        register the product at our website and keep your proof of purchase."""),
    _prose("""The council's plan for the old tram depot includes 240 homes, a third of them
        affordable, a primary school, a public square and a covered market. Building would
        start in 2027 and take six years. Residents can comment on the plans online or at
        drop-in sessions at the library on 3 and 10 March."""),
    _prose("""Climbing gym house rules: sign the waiver before your first visit. Children under
        14 must be supervised at all times. Use chalk balls, not loose chalk. No climbing
        above another person on the walls. Report any loose holds at the front desk. The
        bouldering area closes 30 minutes before the gym."""),
    _prose("""Sales were weak in the first half, falling 6% as two large customers cut orders,
        but recovered strongly after the August price changes. Full-year revenue ended at
        £18.3 million, flat on last year. Staff costs rose 9% with the opening of the
        Leeds office. Cash at year end was £2.4 million."""),
    _prose("""Thread: Has anyone else's heating stopped working since the landlord changed
        the boiler? - Flat 3: yes, radiators are cold since Tuesday. - Flat 6: ours works
        but the hot water takes ages. - Flat 1: I've emailed the agent twice, no reply.
        Shall we write a joint letter? - Flat 3: yes, I'll draft it tonight."""),
    _prose("""Octavia Pereira's new novel follows three sisters who inherit a failing hotel on
        the Portuguese coast. Over one summer they fight with each other, with the bank, and
        with the ghosts of their parents' marriage. The writing is warm and funny, though
        the final chapters feel rushed. Out 6 June from Harbour Books, £16.99."""),
)

# One-line texts: a message, a note, a line from a form. Shared by extraction, translation
# and chat requests.
SNIPPETS = (
    "Meeting moved to Thu 14 March, 3:30pm, room B2. Bring the Q1 numbers. Karen",
    "Order #48213 shipped to 12 Elm Street, Dover on 3 May via DHL, tracking DH7712093.",
    "Call Dr. Patel's office on 020 7946 0321 before Friday to confirm your appointment.",
    "Flight BA 2490 to Rome boards at gate 22 at 06:45; departure 07:20.",
    "Invoice 2291 for $1,250.00 is due on 30 September; late fees apply after 15 days.",
    "Happy 40th, Marco! Drinks at The Crown, Saturday from 8pm. RSVP to Jess by Wednesday.",
    "Reminder: your car's MOT expires on 11/08. Book at Greenway Motors, tel. 01632 960 118.",
    "Rent of \u20ac950 for June was received on 2 June. Thank you, Casa Verde Properties.",
    "Train to Leeds cancelled; replacement bus from platform 4 at 17:10. Sorry, Northern.",
    "Package left with neighbour at no. 7 at 14:32. Signed by: A. Brown.",
    "Parent-teacher evening, Tuesday 5 Nov, 6-8pm. Book a slot with Mr Khan online.",
    "Your table for 4 at Osteria Bella is booked for Friday at 19:30. Ref OB-2207.",
    "The quarterly review with Lisa Chen and the Madrid team is on 9 January at 10:00 CET.",
    "Prescription ready for collection at Boots, High Street, from 2pm today.",
    "Hi, it's Jan. The boiler's fixed, the bill is \u00a3180, bank details to follow.",
    "Your Netflix subscription renews on 14 July for \u00a310.99. Manage it at netflix.com.",
    "Yoga moves to Wednesdays 7pm from next week, same studio on Park Road. Emma",
    "Sale ends Sunday: 30% off all jackets, extra 10% with code SPRING10.",
)

TECH = ("Docker containers", "database indexes", "REST APIs", "git branches", "unit tests",
        "caching", "regular expressions", "OAuth login", "message queues", "recursion",
        "CSS grid", "async/await", "hash maps", "garbage collection", "feature flags",
        "load balancers")
DECISIONS = ("raising our prices by 10%", "opening a second caf\u00e9 across town",
             "moving our servers to the cloud", "hiring a freelancer instead of a full-time "
             "designer", "switching the team to a four-day week", "buying a used car instead "
             "of leasing a new one", "selling our flat and renting for a few years",
             "dropping our free plan", "letting employees choose their own hours",
             "expanding the shop into online sales", "taking a year off to travel",
             "merging two small teams into one")
CITIES = ("Lisbon", "Hanoi", "Montreal", "Marrakech", "Oslo", "Buenos Aires", "Seoul",
          "Cape Town", "Vienna", "Melbourne", "Istanbul", "Lima")
PROGRAMMING = ("Python", "JavaScript", "Go", "Rust", "Java", "C#", "TypeScript", "Ruby",
               "Kotlin", "PHP")
FILMS = ("The Godfather", "Spirited Away", "Inception", "Casablanca", "The Matrix",
         "Parasite", "Jurassic Park", "Amélie", "Titanic", "Toy Story")
# Numbers for the maths lines: small, medium and money-like values.
SMALL = ("3", "4", "5", "6", "7", "8", "9", "12")
MEDIUM = ("24", "36", "45", "60", "72", "84", "120", "150")
MONEY = ("$18", "$45", "\u00a360", "\u20ac80", "$120", "\u00a3250", "$1,200", "\u20ac3,500")
PERCENT = ("5%", "8%", "12%", "15%", "20%", "25%", "30%", "40%")
WHOLE = ("90", "150", "240", "300", "480", "600", "750", "1000")
MATH_SLOTS: dict[str, tuple[str, ...]] = {
    "small": SMALL, "small_b": SMALL, "medium": MEDIUM, "money": MONEY, "money_b": MONEY,
    "money_num": WHOLE, "pct": PERCENT,
}

# -- requests over a pasted text ({text}) ------------------------------------------------------

SUMMARIZE = (
    "can u summarise this for me pls\n\n{text}",
    "{text}\n\nGive me the gist in two lines.",
    "Skim this and tell me what actually matters: {text}",
    "What's the bottom line here?\n\n{text}",
    "In a nutshell, what does this say? {text}",
    "{text}\n\nCan you shorten that into something I can read in ten seconds?",
    "Give this a title and a short summary underneath:\n\n{text}",
    "Explain briefly what this is about, no details: {text}",
    "{text}\n\nSummary?",
    "Make this into a short recap for the team chat:\n\n{text}",
    "Here's something I got today. Can you tell me the main points?\n\n{text}",
    "Please condense this text to roughly a quarter of its length:\n\n{text}",
    "I don't have time to read all of this. Key points only: {text}",
    "{text}\n\nWhat's the takeaway?",
    "Précis of the following, please:\n\n{text}",
    "Give me an elevator-pitch version of this text: {text}",
    "Paraphrase this into a shorter summary in your own words:\n\n{text}",
    "{text}\n\nsum it up in 3 bullets",
    "Could you give me a quick synopsis of the following? {text}",
    "Turn this into a brief summary for someone who wasn't there:\n\n{text}",
    "Summarize, focusing only on what changed:\n\n{text}",
    "{text}\n\nOk so what's this saying, basically?",
    "Write a one-paragraph abstract of this: {text}",
    "Distil this down to the three things I need to know:\n\n{text}",
    "Short version please:\n{text}",
    "Can you give me a summary of this that fits in a text message? {text}",
    "{text}\n\nIf you had to summarise the above in one line, what would it be?",
    "Summarize the following for a busy manager, 50 words max:\n\n{text}",
    "Give me a plain-English summary of this: {text}",
    "What are the main points of the text below? Be brief.\n\n{text}",
    "Write a summary of this in the form of a short news brief:\n\n{text}",
    "{text}\n\nSummarise it like you're explaining to a friend over coffee.",
    "Reduce this to a couple of sentences, keeping the essential facts:\n\n{text}",
    "Quick summary needed, this is for a status report: {text}",
    "Read the passage below and sum up its message.\n\n{text}",
    "{text}\n\nNow give me a compressed version of that.",
    "Please write a short summary (2-3 sentences) of the following text:\n{text}",
    "Cut this down to the essentials, I want the short story:\n\n{text}",
    "Summarize this neutrally, without adding anything that isn't in it: {text}",
    "Give me a bullet-point recap of the important bits:\n\n{text}",
    "{text}\n\nCan you break down what this is about in a few words?",
    "Tell me briefly what the following is about.\n\n{text}",
    "Create a short digest of this text for our weekly newsletter: {text}",
    "resume this text in a few lines (summary, not translation):\n\n{text}",
    "{text}\n\nOverall, what is this message trying to tell me? Keep it short.",
)
SUMMARIZE_DEEP = (
    "Summarize this in two versions: one line for Slack and one detailed paragraph for the "
    "report, both faithful to the text:\n\n{text}",
    "Write a layered summary of the following: a one-sentence headline, then three key "
    "points, then what remains open.\n\n{text}",
    "{text}\n\nSummarize the above for three audiences: a customer, an engineer and an "
    "executive.",
    "Give me a careful summary of this text that keeps every number and deadline, then a "
    "single-sentence takeaway:\n\n{text}",
)
EXTRACT = (
    "What dates are mentioned in this? Only the dates, please.\n\n{text}",
    "{text}\n\nWho is mentioned above? Names only.",
    "Pull out any deadlines from this: {text}",
    "Give me just the amounts of money in this text, one per line:\n\n{text}",
    "Find the phone numbers, emails and addresses in this, if any:\n\n{text}",
    "{text}\n\nGrab the key numbers from that and list them with labels.",
    "Extract the names of places from the following: {text}",
    "Fill in this template from the text: Who / What / When / Where / Cost.\n\n{text}",
    "Turn this into structured JSON (pick sensible keys, no summary):\n\n{text}",
    "{text}\n\nList every time or date above and what it refers to.",
    "Can you tag the entities in this text with their type (PERSON, ORG, PLACE, DATE, "
    "MONEY)? {text}",
    "Please extract the action items and who owns them:\n\n{text}",
    "Pick out all the proper names in this passage: {text}",
    "{text}\n\nfrom this, extract: names, dates, numbers",
    "I need the figures from this text in a spreadsheet-ready table:\n\n{text}",
    "Identify every organisation or company named here: {text}",
    "Get the reference numbers, order numbers or codes out of this:\n\n{text}",
    "Go through the following and list each fact that has a number in it.\n\n{text}",
    "{text}\n\nWhich people are named and what is each one's role?",
    "Extract the event details (what, date, time, place) from this text: {text}",
    "Return a list of key: value pairs with every detail you can find in this:\n\n{text}",
    "Find all percentages and what they measure in the text below.\n\n{text}",
    "Output only the data points from this, as CSV with columns field,value:\n\n{text}",
    "{text}\n\nPull the structured info out of the text above into a table.",
    "What numbers appear in this, and what unit does each have? {text}",
    "Scan the following for any money amounts, dates and names, and list them by type:"
    "\n\n{text}",
    "Extract all the durations and time spans mentioned (e.g. 'six weeks'): {text}",
    "{text}\n\nJust give me the contact info and the dates from that, nothing else.",
    "From the text below, extract every product or item that is mentioned.\n\n{text}",
    "Make a list of all the numbers in this text, in the order they appear: {text}",
    "Create a JSON object from this with fields for people, dates, places and amounts:"
    "\n\n{text}",
    "{text}\n\nExtract any requests or tasks mentioned, with their due dates.",
    "Highlight the named entities in the following text by listing them:\n{text}",
    "Pull the who/when/where out of this message: {text}",
    "Extract the facts, not a summary: give me each fact on its own line.\n\n{text}",
    "{text}\n\nDoes this mention any dates or prices? List them exactly as written.",
    "Identify the key entities and the relationships between them in this text: {text}",
    "Give me a table of every person or organisation and what they did, from this:\n\n{text}",
    "extract all numbers + what they mean\n\n{text}",
    "Please parse the following text and return the values of any fields you can find "
    "(names, dates, ids, amounts).\n\n{text}",
    "{text}\n\nFrom the above, extract the locations and the times.",
    "List the quantities in this with their units, as a bulleted list: {text}",
    "Read this and output the structured data it contains as YAML:\n\n{text}",
    "Find every date in the following and convert it to YYYY-MM-DD:\n\n{text}",
    "{text}\n\nWhat are the exact figures quoted above? List them.",
    "Get me a list of the companies, people and products named in this text: {text}",
    "Extract the contact person, the deadline and the amount from this:\n\n{text}",
    "Parse this into a record with one field per piece of information:\n\n{text}",
    "{text}\n\nExtract any prices, fees or costs mentioned, with what each is for.",
    "Mark up the following with the entities you find, in a list of (text, type) pairs:"
    "\n\n{text}",
)
EXTRACT_DEEP = (
    "Extract every fact from the following into a table with columns entity, attribute, "
    "value, unit; check that no number is left out and do not paraphrase:\n\n{text}",
    "{text}\n\nBuild a complete JSON record of every person, organisation, date and amount "
    "in the text above, with a 'source_sentence' field for each; use null where a value is "
    "missing.",
    "Go through the text below and extract all entities and dates, normalise the dates to "
    "ISO 8601 and the money to numbers with a currency code, and list anything ambiguous "
    "separately.\n\n{text}",
)
TRANSLATE = (
    "it's for a client, can u put this in {lang}?\n\n{text}",
    "{text}\n\nCan I get that in {lang}?",
    "I have to send this to a {lang}-speaking client. Please translate: {text}",
    "Translate the following faithfully into {lang}; don't shorten anything.\n\n{text}",
    "{text}\n\nPut the above into {lang}.",
    "How would you say all of this in {lang}? {text}",
    "Translate this for my grandmother, she only reads {lang}:\n\n{text}",
    "{lang} translation of this text, please:\n{text}",
    "Please translate into {lang}, informal register:\n\n{text}",
    "Translate the text below into {lang} and keep the formatting as it is.\n\n{text}",
    "{text}\n\nTranslate into {lang}, keeping all names, numbers and dates exactly the same.",
    "Could you help me get this into {lang}? It's going on our website. {text}",
    "Translate from English into {lang}:\n\n{text}",
    "Write this in {lang} for me:\n{text}",
    "{text}\n\nCan you render this in {lang} as a native speaker would write it?",
    "Need a {lang} version of the message below for the team abroad.\n\n{text}",
    "Translate this, target language is {lang}: {text}",
    "Please localise this text into {lang}, adapting the tone for local readers:\n\n{text}",
    "{text}\n\nOk now the same thing in {lang} please",
    "Translate to {lang} (formal):\n\n{text}",
    "What would the following text look like in {lang}?\n\n{text}",
    "Translate this notice into {lang} so we can post it next to the English one: {text}",
    "{text}\n\n{lang}?",
    "Give me a natural {lang} translation of this, not a literal one:\n\n{text}",
    "Can you translate the following into {lang} and then back into English so I can "
    "check it?\n\n{text}",
)
TO_ENGLISH = (
    "My colleague wrote this, what is she saying? {text}",
    "{text}\n\nTranslate pls",
    "Can you help me understand this message? Please translate it into English:\n\n{text}",
    "Could you give me this in English? {text}",
    "{text}\n\nWhat's this in English?",
    "Translate into plain English:\n\n{text}",
    "Got this text from my host family. Translate? {text}",
    "{text}\n\nCould you translate this for me? I only speak English.",
    "Translate the following text to English and keep the tone: {text}",
    "Please translate this into English, word for word first and then naturally:\n\n{text}",
)

# Extraction over article paragraphs and summarization over entity-rich documents: the first
# round asked for summaries of articles far more often than for facts from them (and the
# reverse for documents), which let the kind of passage stand in for the request.
EXTRACT_FROM_ARTICLE = (
    "Pull out every figure in this article and say what it counts:\n\n{text}",
    "{text}\n\nWho are the people or groups in this article, and what did each one do or say?",
    "List the numbers, dates and names in the article excerpt below.\n\n{text}",
    "Extract from this report: the when (all times and dates), the who, and the how much.\n\n"
    "{text}",
    "Make a two-column table (detail, value) of the concrete details in this article: {text}",
    "{text}\n\nExtract every statistic above exactly as written, one per line.",
    "Which organisations, places and amounts does this news piece mention? Just list them: "
    "{text}",
    "Get the facts out of this article as JSON, with a key for each number you find:\n\n"
    "{text}",
    "{text}\n\nI only need the data: names, numbers, dates. List them.",
    "From this article, extract each decision or action and who is responsible for it:\n\n"
    "{text}",
    "Find all quantities in this story (people, money, percentages, durations):\n{text}",
    "{text}\n\nPull the key numbers from this excerpt into a bulleted list with labels.",
)
SUMMARIZE_DOCUMENT = (
    "What's this document about? Summarize it in a sentence or two:\n\n{text}",
    "{text}\n\nSummarise this for me, I don't need every detail.",
    "Give me a short plain-language summary of this email/notice: {text}",
    "Briefly, what does this say and do I need to do anything? {text}",
    "Sum up this message in one line for my to-do list:\n\n{text}",
    "{text}\n\nWhat does this document boil down to?",
    "Summarize the following notice in two sentences for a colleague:\n{text}",
    "Write a short summary of this text, no lists, just a couple of sentences: {text}",
    "{text}\n\nWhat's the overall gist of that?",
    "Condense this into a brief note I can read on my phone:\n\n{text}",
)

# Third batch: short "verb the things from this" requests, the form most often read as a
# summary request when the pasted text is long.
EXTRACT_SHORT = (
    "Grab the names from this: {text}",
    "Dates only:\n\n{text}",
    "{text}\n\nnames + dates pls",
    "Pull the prices from this text: {text}",
    "Find the deadline in here: {text}",
    "Any email addresses or phone numbers in this? {text}",
    "Which numbers are in this text?\n\n{text}",
    "Pull the addresses out of this: {text}",
    "Extract the key dates: {text}",
    "Collect every name mentioned: {text}",
    "{text}\n\nList the people.",
    "{text}\n\nWhat amounts are mentioned?",
    "Get the times and places from this: {text}",
    "Note down every figure in this: {text}",
    "Just the numbers from this please:\n{text}",
    "{text}\n\nAll the dates, as a list.",
    "Spot the company names in this: {text}",
    "Copy out every percentage in this text: {text}",
    "List what costs what in this: {text}",
    "Find who is responsible for what in this: {text}",
    "{text}\n\nwho, when, where?",
    "Get the IDs and reference codes from this:\n{text}",
    "Pull every place name out of this: {text}",
    "Which dates and deadlines appear below?\n\n{text}",
    "{text}\n\nExtract the names of everyone involved.",
    "Gather the contact details from this: {text}",
    "Identify the amounts and the dates in this: {text}",
    "{text}\n\nPick out the numbers and say what each one is.",
    "Make a list of the events and their dates from this: {text}",
    "Take the facts from this and put them in a table: {text}",
    "Tag the dates, people and places in this:\n{text}",
    "{text}\n\nWhat are the specific figures here? No commentary.",
    "Get me the key values from this (names, numbers, dates):\n\n{text}",
    "Fetch every duration and deadline from this: {text}",
    "{text}\n\nextract entities",
    "Retrieve the prices, dates and names from this text: {text}",
)
SUMMARIZE_SHORT = (
    "Short summary needed: {text}",
    "{text}\n\ngist?",
    "Shorten this: {text}",
    "Boil this down: {text}",
    "Recap this for me: {text}",
    "{text}\n\nSo what's the summary?",
    "Main point of this?\n\n{text}",
    "{text}\n\nBriefly, what's it about?",
    "Quick summary: {text}",
    "Condense this: {text}",
    "Give me the overview: {text}",
    "{text}\n\nkey points, briefly",
    "Sum this up: {text}",
    "What's the summary of this text?\n{text}",
    "{text}\n\nOne-line summary.",
    "Summarise below:\n\n{text}",
    "Make this shorter but keep the meaning: {text}",
    "{text}\n\nExplain this in one short paragraph.",
)
TRANSLATE_SHORT = (
    "To {lang}: {text}",
    "{text}\n\nin {lang}",
    "Make this readable for {lang} speakers: {text}",
    "Here's the text, target language {lang}:\n\n{text}",
    "{text}\n\nAnd in {lang}, that would be...?",
    "Need this in {lang} asap: {text}",
    "Can you do a {lang} translation of this? {text}",
    "{text}\n\nTranslate it to {lang}.",
)

# -- short requests over shared topics -----------------------------------------------------------

# Lines over {tech} (TECH): the same technologies appear in code, reasoning, chat,
# summarization and translation requests.
TECH_LINES: dict[str, tuple[str, ...]] = {
    "code": (
        "Show me a minimal example of {tech} in {pl}.",
        "Write a {pl} snippet that demonstrates {tech}, with comments.",
        "I'm getting errors when I try to use {tech} in my {pl} project. What's the usual "
        "fix?",
        "Refactor my {pl} service to use {tech}; what does the code change look like?",
        "Write unit tests in {pl} for a module that relies on {tech}.",
        "What's the idiomatic way to set up {tech} in {pl}? Code please.",
        "Implement {tech} from scratch in {pl}, keep it short.",
        "My {pl} code using {tech} works locally but fails in CI. How do I debug it?",
    ),
    "reasoning": (
        "When is {tech} the wrong choice? Argue it through.",
        "Why did {tech} become so widespread? Reason about the causes.",
        "What are the hidden costs of relying on {tech}, and how would you weigh them?",
        "Is {tech} overrated? Give a balanced argument.",
        "A junior engineer says {tech} always makes systems better. Is that true? Explain "
        "your reasoning.",
    ),
    "chat": (
        "Write a funny limerick about {tech}.",
        "Got any programmer humour about {tech}?",
        "Write a short motivational poster slogan about {tech} for our office.",
        "Honestly, {tech} made my week miserable. Can you cheer me up?",
        "Write a haiku about debugging {tech} at 2am.",
    ),
    "summarization": (
        "Give me a short summary of what {tech} is, for a non-technical manager.",
        "Summarize the key ideas behind {tech} in three bullets.",
        "TL;DR of {tech}?",
        "Summarize the main pros and cons of {tech} in a few lines.",
    ),
    "translation": (
        "How do you say '{tech}' in {lang}? Is there a local term or do people use the "
        "English?",
        "Translate 'We are migrating to {tech} next sprint' into {lang}.",
        "Translate this slide title into {lang}: 'An introduction to {tech}'.",
    ),
    "math": (
        "Our service using {tech} handles 1,200 requests per second at 40% CPU. Assuming "
        "linear scaling, how many requests per second at 85%?",
        "A team spends 6 hours a week on problems with {tech}. At $90 an hour, what does "
        "that cost in a year of 48 working weeks?",
    ),
}
# Lines over {dec} (DECISIONS).
DECISION_LINES: dict[str, tuple[str, ...]] = {
    "reasoning": (
        "We're considering {dec}. What are the second-order effects we might be missing?",
        "Make the strongest case against {dec}, then tell me whether it holds up.",
        "What would need to be true for {dec} to be a good idea?",
        "Play devil's advocate: why might {dec} backfire?",
        "How should we decide about {dec}? Lay out the criteria and weigh them.",
        "I'm torn about {dec}. Can you reason through the risks and the upside with me?",
        "What evidence would convince you that {dec} was a mistake a year from now?",
        "Think through {dec} from the point of view of each person it affects.",
        "Which is riskier, {dec} or doing nothing? Explain your reasoning.",
        "If {dec} fails, what is the most likely reason? Walk me through it.",
    ),
    "chat": (
        "Write a cheerful announcement that we're {dec}.",
        "We just decided on {dec}! Write a fun message for our group chat.",
        "Write a short, friendly post telling our customers that we are {dec}.",
        "Give me a pep talk, I'm nervous about {dec}.",
    ),
    "summarization": (
        "Summarize the usual arguments for and against {dec} in a few bullet points.",
        "Give me a brief overview of what people typically say about {dec}.",
    ),
    "translation": (
        "Translate 'We are seriously thinking about {dec}' into {lang}.",
        "How do I tell my {lang}-speaking business partner that we're {dec}? Translate it for "
        "me.",
    ),
    "math": (
        "We're considering {dec}. If it costs $12,000 up front and saves $850 a month, how "
        "many months until it pays for itself?",
        "If {dec} raises monthly costs by 15% from $8,400, what are the new monthly and yearly "
        "costs?",
    ),
    "code": (
        "Write a small Python script that models the cash flow of {dec} over 24 months and "
        "plots it.",
        "Build a spreadsheet-style calculator in JavaScript to compare {dec} against the "
        "status quo.",
    ),
}
# Lines over {city} (CITIES).
CITY_LINES: dict[str, tuple[str, ...]] = {
    "chat": (
        "I'm visiting {city} next month! What should I not miss?",
        "What food should I try in {city}?",
        "Write a postcard message from {city} to my grandparents.",
        "Is {city} nice in winter? Just curious.",
        "Write a short poem about an evening walk in {city}.",
    ),
    "reasoning": (
        "Why did {city} grow into a major city where it is? Reason through geography and "
        "history.",
        "What are the main challenges {city} will face over the next 30 years, and which "
        "matters most?",
        "Would a congestion charge work in {city}? Consider who gains and who loses.",
    ),
    "summarization": (
        "Give me a short summary of the history of {city}.",
        "Summarize what {city} is best known for in a few bullet points.",
    ),
    "translation": (
        "How do I ask for directions to the train station in {city} in the local language?",
        "Translate 'Is this the bus to the centre of {city}?' into {lang}.",
    ),
    "math": (
        "A flight to {city} costs $640 for one adult and children fly at 75%. What do two "
        "adults and three children pay?",
        "The taxi in {city} charges a 3.50 base fare plus 1.80 per km. How far can I go for "
        "40?",
    ),
    "code": (
        "Write a Python script that fetches the weather forecast for {city} from an API and "
        "prints tomorrow's high.",
        "Write a SQL query that finds all customers in {city} who ordered in the last 30 "
        "days.",
    ),
}
# Lines over {film} (FILMS).
FILM_LINES: dict[str, tuple[str, ...]] = {
    "summarization": (
        "Summarize the plot of {film} in five sentences.",
        "What happens in {film}? Short recap, spoilers fine.",
        "Give me a two-line synopsis of {film}.",
    ),
    "chat": (
        "Is {film} worth watching on a date night?",
        "I just watched {film} and I can't stop thinking about it!",
        "Recommend three films for someone who loved {film}.",
    ),
    "reasoning": (
        "Why has {film} aged so well, or has it? Make an argument.",
        "What makes the ending of {film} work? Analyse it.",
    ),
    "translation": (
        "What is the title of {film} in {lang}, and what does it literally mean?",
    ),
}
# Lines over {h} (history) and {s} (science) pools of the first round.
HISTORY_LINES: dict[str, tuple[str, ...]] = {
    "reasoning": (
        "Was {h} inevitable? Argue both ways and then pick a side.",
        "Which single factor mattered most in {h}? Justify it.",
        "How would the world differ today without {h}? Reason it through.",
        "Historians disagree about {h}. Which interpretation is most convincing, and why?",
    ),
    "summarization": (
        "Recap {h} in under 100 words.",
        "Give me the short version of {h}, just the key events.",
        "Summarize {h} as a timeline of five bullets.",
    ),
    "chat": (
        "Write a funny tweet as if someone was live-tweeting {h}.",
        "Pretend you're a tour guide and tell me a fun story about {h}.",
    ),
    "code": (
        "Write an HTML page with an interactive timeline of {h}.",
    ),
    "translation": (
        "Translate 'This chapter is about {h}' into {lang}.",
    ),
}
SCIENCE_LINES: dict[str, tuple[str, ...]] = {
    "reasoning": (
        "How would you design an experiment to test a claim about {s}? Reason through it.",
        "What's the most convincing evidence about {s}, and what would overturn it?",
        "Explain the cause and effect chain behind {s}.",
        "Why is {s} so often misunderstood? Analyse it.",
    ),
    "summarization": (
        "Summarize what scientists know about {s}, briefly.",
        "Give me a one-paragraph summary of {s} for my notes.",
    ),
    "chat": (
        "Write a short, silly rap about {s}.",
        "My kid asked me about {s} and I panicked. Tell me something fun to say!",
    ),
    "math": (
        "Give me a quantitative problem about {s} that uses exponential growth, and solve it.",
    ),
    "code": (
        "Write a JavaScript animation that illustrates {s} on a canvas.",
    ),
}
# Lines over {snip} (SNIPPETS).
SNIPPET_LINES: dict[str, tuple[str, ...]] = {
    "extraction": (
        "Get the date and time out of this: '{snip}'",
        "Extract the names, numbers and dates from: {snip}",
        "From this message, pull out anything I'd put in my calendar: {snip}",
        "Parse this into JSON fields: {snip}",
        "What's the reference or order number in this? '{snip}'",
        "List every entity in this message with its type: {snip}",
        "{snip}\n\nExtract the key details as key: value lines.",
        "Which amounts, dates and places are in this text? {snip}",
    ),
    "translation": (
        "Translate this text message into {lang}: {snip}",
        "{snip}\n\nCould you put that in {lang}?",
        "How would this notice read in {lang}? '{snip}'",
    ),
    "chat": (
        "Just got this: '{snip}' Help me write a friendly reply.",
        "{snip}\n\nLol, my week in one message. Say something encouraging?",
    ),
}
# Lines over {pl} (PROGRAMMING languages).
PROGRAMMING_LINES = (
    "How do I read a JSON file in {pl}?",
    "What's the best way to handle errors in {pl}? Show an example.",
    "Write a {pl} function that checks whether a string is a palindrome.",
    "How do I make an HTTP GET request in {pl} and parse the response?",
    "Why does my {pl} program use so much memory when reading a big file? How do I stream "
    "it instead?",
    "Convert this loop to {pl}: for i in range(10): print(i * i)",
    "Write a {pl} class for a bank account with deposit, withdraw and balance.",
    "How do I run tasks concurrently in {pl}?",
    "Write a CLI tool in {pl} that counts words in a file.",
    "In {pl}, how do I sort a list of objects by two fields?",
    "What's a clean way to structure a small {pl} project with tests?",
    "I get a null/undefined error in {pl} when a config value is missing. How should I guard "
    "against it?",
    "Write a {pl} function to merge two sorted arrays.",
    "How do I write a simple web server in {pl} that returns 'hello'?",
    "How do I parse command-line arguments in {pl}?",
    "Implement a retry with exponential backoff in {pl}.",
)

# -- short requests with numbers -----------------------------------------------------------------

MATH_LINES = (
    "A jacket costs {money} after a {pct} discount. What was the original price?",
    "If I save {money} a month at {pct} annual interest, compounded monthly, how much do I "
    "have after {small} years?",
    "A recipe for {small} people needs {medium} g of flour. How much for 10 people?",
    "{medium} is what percentage of {money_num}?",
    "A train travels {medium} km in {small} hours. What's its average speed, and how long "
    "would 300 km take?",
    "Split {money} between {small} friends so one of them pays double the others. How much "
    "does each pay?",
    "What is {pct} of {money}, and what's left after taking it off?",
    "A rectangle has a perimeter of {medium} cm and one side of {small} cm. Find its area.",
    "I roll {small} dice. What's the probability that at least one shows a six?",
    "Solve for x: {small}x + {medium} = {money_num}.",
    "A tank fills in {small} hours with one pipe and empties in {medium} hours with another. "
    "With both open, how long to fill it?",
    "Prices rose {pct} last year and {pct} this year. What's the total increase?",
    "What's the sum of all whole numbers from 1 to {medium}?",
    "How many {small}-letter codes can be made from the 26 letters if letters may repeat?",
    "If a population of {medium} bacteria doubles every {small} hours, how many after a day?",
    "My salary went from {money} to {money} per week. By what percent did it change?",
    "The average of {small} numbers is {medium}. If one more number makes the average "
    "{money_num}, what is it?",
    "A loan of {money} at {pct} simple interest per year: what do I owe after {small} years?",
    "Find the least common multiple of {small} and {medium}.",
    "How many minutes is {medium} hours and {small} minutes?",
    "A shop sells {medium} items a day at {money} profit each. What's the weekly profit?",
    "Work out {medium} \u00d7 {small} \u00f7 4 step by step.",
    "A circle has a radius of {small} m. What's its area and circumference?",
    "What are the odds of drawing two aces in a row from a 52-card deck without putting the "
    "first back?",
    "If y = {small}x - {medium}, where does the line cross the x-axis?",
    "A car loses {pct} of its value each year. Bought for {money}, what is it worth after "
    "{small} years?",
    "How many ways can I choose {small} books from a shelf of {medium}?",
    "Convert {medium} miles per hour into metres per second.",
    "If {small} workers build a wall in {medium} hours, how long do {small_b} workers take?",
    "Is {medium} divisible by {small}? Show the prime factorisation.",
    "Find the median and mean of: {small}, {medium}, {small_b}, {money_num}, 10.",
    "A phone plan costs {money} plus 5p per text. How many texts before it costs more than "
    "a flat {money_b} plan?",
    "What's the standard deviation of {small}, {small_b}, {medium} and 10?",
    "Simplify ({small}x\u00b2 + {medium}x) / {small}x.",
    "A ladder {medium} dm long leans against a wall with its foot {small} dm out. How high "
    "does it reach?",
    "What's {small}/{medium} as a decimal and as a percentage?",
    "I run {small} km in {medium} minutes. What's my pace per km and per mile?",
    "Expected value: a game pays {money} with probability 1/{small} and costs {money_b} to "
    "play. Is it worth it?",
)
MATH_DEEP = (
    "Prove that the sum of the first n odd numbers is n\u00b2, and check it for n = {small}.",
    "Set up and solve a linear program: a bakery makes cakes ({money} profit, {small} hours) "
    "and pies ({money_b} profit, 2 hours) with {medium} oven hours a week. Maximise profit.",
    "Derive the formula for the monthly payment on a {money} loan at {pct} a year over "
    "{small} years, then compute it.",
)

# -- hand-written groups: a few variants of one kind of request ----------------------------------

LITERAL: dict[str, dict[str, tuple[int, tuple[str, ...]]]] = {
    "reasoning": {
        "riddles-3": (0, (
            "What can you catch but not throw?",
            "I have cities but no houses, forests but no trees, and water but no fish. "
            "What am I?",
            "What goes up but never comes down?",
            "What has many teeth but can't bite?",
            "The person who makes it sells it; the person who buys it never uses it; the "
            "person who uses it never sees it. What is it?",
            "What has one eye but can't see?",
        )),
        "lateral-thinking": (0, (
            "A woman shoots her husband, holds him under water for five minutes, then hangs "
            "him. An hour later they go out to dinner. How?",
            "A man lives on the 10th floor but takes the lift only to the 7th and walks up, "
            "except on rainy days. Why?",
            "Two fathers and two sons go fishing and catch three fish, one each. How is that "
            "possible?",
            "A man walks into a bar and asks for water. The barman points a gun at him, and "
            "the man says thanks and leaves. What happened?",
            "How can a man go eight days without sleep?",
        )),
        "logic-quick": (1, (
            "If some cats are black and all black things are visible at night, are some cats "
            "visible at night?",
            "Ann is taller than Ben, Ben is taller than Cara. Is Cara taller than Ann?",
            "All of my friends like jazz. Leo doesn't like jazz. What can I conclude?",
            "If 'no dogs are allowed inside' is false, what follows?",
            "Is 'this sentence is false' true or false? Explain the problem.",
            "If only one of these is true: 'the key is in the box' and 'the key is not in the "
            "box or the drawer', where is the key?",
        )),
        "why-everyday": (1, (
            "Why do supermarkets put milk at the back of the store?",
            "Why are hotel rooms cheaper on Sunday nights?",
            "Why do buses often arrive in bunches?",
            "Why does the queue next to mine always seem faster?",
            "Why do restaurants charge so much more for wine than shops do?",
            "Why do some cities have terrible traffic even after they build more roads?",
        )),
        "causal": (1, (
            "Ice cream sales and drownings rise together. Does ice cream cause drowning? "
            "Explain.",
            "Students who sit at the front get better grades. Should everyone sit at the "
            "front? Reason it through.",
            "Hospitals have higher death rates than homes. Are hospitals dangerous?",
            "Cities with more police have more crime. What's going on?",
            "People who take vitamins live longer in one study. What else could explain it?",
        )),
        "judgement": (1, (
            "My manager praised my teammate for work I did. Is it worth raising, and how "
            "would you weigh the risks?",
            "Two job candidates: one has more experience, the other clearly learns faster. "
            "Who should we hire for a fast-changing role, and why?",
            "Our app's ratings dropped after a redesign, but usage went up. Is the redesign "
            "a success? Argue it.",
            "A supplier is 10% cheaper but has twice the defect rate. When does switching "
            "make sense?",
            "Is it better for a small town to attract one big factory or many small "
            "businesses? Think it through.",
        )),
        "classic-puzzles": (2, (
            "You have two ropes that each burn in exactly an hour, unevenly. How do you "
            "measure 45 minutes?",
            "There are 100 doors, all closed. On pass k you toggle every k-th door. After 100 "
            "passes, which doors are open, and why?",
            "You have 12 coins, one counterfeit and lighter or heavier. With three weighings "
            "on a balance, how do you find it? Explain the strategy.",
            "Three people check into a hotel room that costs $30; the clerk refunds $5 and "
            "the bellboy keeps $2. Where did the missing dollar go?",
            "Five pirates must split 100 gold coins by a voting rule where the eldest proposes "
            "and loses if fewer than half agree. What should the eldest propose, and why?",
        )),
        "counterfactual": (1, (
            "What if the printing press had been invented 500 years earlier? Reason about the "
            "consequences.",
            "Suppose every country adopted the same currency tomorrow. What would break first?",
            "If cars had never been invented, how would cities look? Think it through.",
            "What would change if everyone could read everyone else's email? Analyse the "
            "effects.",
            "Imagine a world where nobody could lie. Would it be better? Argue both sides.",
        )),
        "diagnose": (2, (
            "My houseplant's leaves are turning yellow from the bottom up. What are the "
            "likely causes and how do I narrow it down?",
            "My car only struggles to start on cold mornings. What could explain that "
            "pattern?",
            "Our website is slow only on Monday mornings. What hypotheses would you test, and "
            "in what order?",
            "My sourdough rises well but comes out dense. Reason through the possible causes.",
            "I sleep eight hours but still wake up tired. What could be going on? Think "
            "through the possibilities.",
        )),
        "fermi-2": (2, (
            "Roughly how many dentists does a city of one million people need? Show the "
            "estimate.",
            "Estimate the number of tennis balls sold in the UK each year, with your "
            "assumptions.",
            "How many hairs are on a human head, approximately? Reason it out.",
            "Estimate how much water a family of four uses in a year, step by step.",
            "About how many trees would it take to offset one transatlantic flight? Explain "
            "the estimate.",
        )),
        "explain-how-why": (1, (
            "How does a thermostat keep a room at the same temperature? Explain the logic.",
            "How does a vaccine trial show that a vaccine works? Walk me through the "
            "reasoning.",
            "How do credit scores decide who gets a loan, and is the logic fair?",
            "How does a refrigerator move heat out of the box? Explain the chain of causes.",
            "How does a jury decide what 'beyond reasonable doubt' means? Reason about it.",
        )),
    },
    "code": {
        "errors-prose": (0, (
            "npm install fails with ERESOLVE unable to resolve dependency tree. How do I fix "
            "it?",
            "Python says ModuleNotFoundError even though I installed the package with pip. "
            "What's going on?",
            "My Docker container exits immediately with code 0. Why?",
            "git push is rejected with 'non-fast-forward'. What should I do?",
            "Kubernetes pod stuck in CrashLoopBackOff, how do I find out why?",
            "CORS error when my React app calls my Flask API on localhost. How do I fix it?",
        )),
        "performance": (1, (
            "My SQL query takes 30 seconds on a table with 5 million rows. How do I speed it "
            "up?",
            "This Python loop over a pandas DataFrame is really slow. What's the vectorised "
            "way?",
            "My React page re-renders constantly. How do I find what's causing it?",
            "The Node server's memory keeps growing until it crashes. How do I find the leak?",
            "How do I profile a slow Go program?",
        )),
        "tooling": (0, (
            "How do I set up a GitHub Actions workflow that runs pytest on every push?",
            "What's the command to list all running Docker containers and their ports?",
            "How do I configure VS Code to format Python files on save?",
            "How can I undo a git rebase that went wrong?",
            "How do I create and activate a virtual environment in Python?",
            "Write a Makefile with targets for build, test and clean.",
        )),
        "design-code": (1, (
            "How should I structure the database tables for a library app with books, members "
            "and loans? Give the schema.",
            "Design a REST API for a to-do app: endpoints, methods and JSON bodies.",
            "What's a good folder structure for a medium-size React project?",
            "How do I model a many-to-many relationship in Django between students and "
            "courses?",
            "Sketch the classes for a parking-lot system in Java.",
        )),
        "short-tasks": (0, (
            "Regex to match a UK postcode?",
            "Command to delete all node_modules folders under the current directory?",
            "SQL to find duplicate emails in a users table.",
            "bash: find files larger than 100MB",
            "CSS to make an image fill its container without stretching",
            "Python: remove all whitespace from a string",
        )),
        "explain-code": (0, (
            "What does `[x for x in range(10) if x % 2]` return in Python?",
            "Explain what `useEffect(() => {...}, [])` does in React.",
            "What does `git stash pop` actually do?",
            "In JavaScript, when does `==` give a different answer from `===`?",
            "What does `SELECT DISTINCT ON` do in Postgres?",
            "What does the `?` operator do in Rust?",
        )),
        "why-code": (0, (
            "Why does my Python function return None instead of the list?",
            "Why is my CSS margin collapsing between two divs?",
            "Why does 0.1 + 0.2 not equal 0.3 in JavaScript?",
            "Why does my Java HashMap lose entries when I use my own class as the key?",
            "Why do I get 'too many open files' from my Go server?",
            "Why is my async function running before the data is loaded?",
        )),
    },
    "chat": {
        "advice-2": (0, (
            "How do I politely tell a friend I can't lend them money again?",
            "Any tips for surviving a long-haul flight with a toddler?",
            "What's a good way to say no to extra work without sounding lazy?",
            "How can I be better at keeping in touch with old friends?",
            "I'm hosting my in-laws for a week. How do I keep the peace?",
            "How do I make small talk at a networking event without feeling awkward?",
        )),
        "writing-2": (1, (
            "Write a funny birthday card message for my brother who's turning 50.",
            "Help me write a warm welcome email for our new team member, Aisha.",
            "Write a short speech to thank volunteers at our charity run.",
            "Write a cute note to put in my partner's lunchbox.",
            "Write a two-line poem for my grandmother's 80th birthday cake.",
            "Draft a message to my neighbours inviting them to a garden barbecue.",
        )),
        "reactions": (0, (
            "haha that's brilliant",
            "wow, ok, thank you!",
            "lol no way",
            "That's really kind of you to say.",
            "Nice one! You've saved my evening.",
            "Thank you!! I owe you a coffee.",
            "Ah, that explains a lot. Cheers.",
        )),
        "trivia-how-many": (0, (
            "How many legs does a spider have?",
            "How many players are in a rugby union team?",
            "How many keys are on a standard piano?",
            "How many moons does Mars have?",
            "How many countries are in the European Union?",
            "How many hearts does an octopus have?",
        )),
        "hobbies": (0, (
            "I want to start painting with watercolours. Where do I begin?",
            "What's a fun hobby I can pick up on weekends that doesn't cost much?",
            "Any tips for a beginner learning to knit?",
            "What should I know before getting into birdwatching?",
            "I just got a film camera. What should I shoot first?",
        )),
        "small-talk": (0, (
            "What's the best thing you've learned today?",
            "If you could have any superpower, which would you pick?",
            "Tell me something that will make me smile.",
            "What would be your ideal Sunday?",
            "Cats or dogs? Go.",
            "What's a good question to ask someone on a first date?",
        )),
        "celebrate": (0, (
            "I got into my dream university!!! Celebrate with me!",
            "We're having a baby! Help me think of a cute way to tell my parents.",
            "My team won the office quiz. Write us a victory chant.",
            "Finally paid off my credit card. Feels amazing!",
            "I ran 5k without stopping for the first time today.",
        )),
        "fun-writing": (1, (
            "Write a short story about a sock that escapes the washing machine.",
            "Invent a new holiday and describe how people celebrate it.",
            "Write a dramatic movie trailer voice-over for my cat waking up.",
            "Write a love letter from a coffee mug to a teapot.",
            "Make up a fairy tale about a cloud that wanted to be a mountain.",
        )),
    },
    "math": {
        "calc-words": (0, (
            "Differentiate f(x) = x\u00b2 ln x.",
            "Integrate e^(2x) from 0 to 1.",
            "What's the limit of (1 + 1/n)^n as n goes to infinity, and why?",
            "Find the critical points of f(x) = x\u00b3 - 6x\u00b2 + 9x.",
            "What's the Taylor series of ln(1 + x) around 0?",
        )),
        "chance-words": (0, (
            "What's the chance of getting two heads in a row with a fair coin?",
            "If a raffle sells 400 tickets and I buy 8, what's my chance of winning?",
            "What are the odds of rolling a total of 7 with two dice?",
            "A bag has 5 red and 3 blue marbles. What's the chance of picking blue twice "
            "without replacement?",
            "If something goes up 50% and then down 50%, what's the net change?",
        )),
        "stats-words": (1, (
            "If a test is 99% accurate and the disease affects 1 in 1,000 people, what's the "
            "chance a positive result is real?",
            "What sample size do I need for a 3% margin of error at 95% confidence?",
            "Two groups have means 72 and 75 with standard deviation 10 and 50 people each. "
            "Is the difference significant?",
            "What's the expected number of rolls to get a six on a fair die?",
            "I flip a coin 10 times. What's the chance of exactly 7 heads?",
        )),
        "geometry-words": (0, (
            "What's the volume of a cone with radius 3 cm and height 8 cm?",
            "How many degrees are in the interior angles of a hexagon?",
            "Find the distance between the points (2, 3) and (7, 15).",
            "A triangle has sides 5, 12 and 13. Is it right-angled? What's its area?",
            "What's the surface area of a sphere with diameter 10 m?",
        )),
        "number-puzzles": (1, (
            "What's the next number in 2, 6, 12, 20, 30, and what's the formula?",
            "Find two numbers whose sum is 50 and whose product is 600.",
            "Which is bigger, 2^100 or 3^60? Show why.",
            "What's the last digit of 7^2025?",
            "How many trailing zeros does 100! have?",
        )),
        "everyday-math": (0, (
            "If I tip 18% on a $64 bill, what's the total?",
            "If my rent goes up 4% a year from $1,500, what will it be in five years?",
            "My car does 45 miles per gallon. How much fuel for a 380-mile trip?",
            "A pizza with 30 cm diameter or two with 20 cm: which is more pizza?",
            "I need 2.5 litres of paint per wall and have 4 walls. Tins are 3 litres. How "
            "many tins?",
        )),
    },
    "summarization": {
        "summarize-meta": (0, (
            "Summarize our conversation so far.",
            "Can you recap what we've decided in this chat?",
            "Give me a summary of the main points you just explained.",
            "Sum up your last answer in one sentence.",
            "Make a short summary of everything we discussed, as bullets.",
        )),
        "summarize-known-2": (0, (
            "Summarize the main argument of The Origin of Species.",
            "What's The Art of War about, in brief?",
            "Give me the key lessons of Atomic Habits in five bullets.",
            "Summarize the US Declaration of Independence in plain language.",
            "Sum up the plot of the Odyssey for a twelve-year-old.",
            "Sapiens in a nutshell?",
        )),
        "plot-recap": (0, (
            "What happens in Macbeth? Keep it short.",
            "Quick rundown of the plot of Les Mis\u00e9rables?",
            "Recap season one of Breaking Bad in a paragraph.",
            "Can you remind me what happens in Of Mice and Men? Brief version.",
            "Give me the plot of Romeo and Juliet in three sentences.",
            "What's the story of The Lion King, in short?",
        )),
        "summarize-events": (0, (
            "Summarize what happened at the 2008 financial crisis in a paragraph.",
            "Give me a quick recap of the Apollo 13 mission.",
            "Summarize the story of the Titanic's sinking in a few lines.",
            "Short summary of the Cuban Missile Crisis, please.",
            "Recap the main events of the American Civil War in five bullets.",
        )),
    },
    "translation": {
        "phrases-2": (0, (
            "How do I say 'can I get the bill, please' in Italian?",
            "What's 'I'm lost' in Japanese?",
            "How do you say 'congratulations on your wedding' in Greek?",
            "Translate 'no onions, please' into Spanish.",
            "What does 'schadenfreude' mean in English, literally?",
            "How do Koreans say 'thank you for the meal'?",
        )),
        "meaning": (0, (
            "What does 'c'est la vie' mean?",
            "What's the English for 'hygge'?",
            "What does 'ojal\u00e1' mean in Spanish?",
            "Translate the Portuguese word 'saudade' and explain it.",
            "What does 'inshallah' mean?",
            "What's the meaning of the German 'Feierabend'?",
        )),
        "localise": (1, (
            "Translate our app's button labels into German: Save, Cancel, Delete account, "
            "Try again.",
            "Translate these menu items into French: grilled salmon, garden salad, chocolate "
            "cake.",
            "Translate this error message into Spanish: 'Your session has expired. Please "
            "log in again.'",
            "Give me Japanese translations for: Welcome, Sign in, Forgot password?",
            "Translate the product name and tagline into Italian: 'CloudDesk - work from "
            "anywhere'.",
        )),
    },
    "extraction": {
        "from-list": (0, (
            "From 'Anna 34 Berlin, Marco 28 Rome, Li 41 Beijing' make a table of name, age "
            "and city.",
            "Pull the prices out of: apples $2.40, bread $3.10, milk $1.25, coffee $8.99.",
            "Extract the years from: 'founded 1998, moved 2004, acquired 2019'.",
            "Get the usernames from this list of emails: ana@x.com, bob.k@y.org, "
            "c.diaz@z.net",
            "Which of these are dates? 'Q3, 12/04/2024, next week, 3 May, 2025-01-09'",
            "Extract the hex colour codes from: primary #1A73E8, accent #FBBC05, text #202124.",
        )),
        "inline-3": (0, (
            "List the people in this sentence: 'Maya, Tom and Dr Lee met with the mayor.'",
            "What dates are in: 'Apply by 1 March; interviews 12-14 March; start 1 May'?",
            "Extract the percentages from: 'growth was 4.5%, churn 2.1% and margin 38%'.",
            "Get the phone numbers from: 'office 0161 496 0000, mobile 07700 900123'.",
            "Pull the street addresses out of: 'ship to 5 Mill Lane, Bath; bill to 40 Kings "
            "Road, Leeds'.",
            "Pick out the email addresses: 'contact sales@northwind.io or jo.b@mail.com'.",
        )),
        "fields-short": (0, (
            "What's the due date in 'Payment of $420 due 15 Aug 2025, ref 7781'?",
            "Who is the sender in 'From: Jamal Reed <jamal@acme.io> Subject: Q3 plan'?",
            "Get the flight number out of 'Your flight UA 932 to SFO departs at 14:05'.",
            "Pull the IP addresses out of: 'blocked 10.0.0.5 and 192.168.1.20 at 03:14'.",
            "Extract the version numbers from 'upgrade from 3.9.2 to 4.1.0 before May'.",
            "Get the ISBN from: 'The Silent Sea, ISBN 978-3-16-148410-0, hardcover'.",
        )),
    },
}

# Third round of hand-written groups: more kinds of everyday request per capability.
LITERAL_3: dict[str, dict[str, tuple[int, tuple[str, ...]]]] = {
    "chat": {
        "news-share": (0, (
            "I just finished my dissertation!! Three years of work, done.",
            "Guess who just got engaged? Me!!",
            "We finally moved into our new flat today, boxes everywhere.",
            "My daughter took her first steps this morning \U0001f62d",
            "Got the keys to my first car today. So happy.",
            "I quit my job today. Scary but exciting!",
        )),
        "letters-2": (1, (
            "Write an email to my gym cancelling my membership, friendly but clear.",
            "Help me write a note to my son's teacher explaining he was sick yesterday.",
            "Write a complaint email to the airline about my lost suitcase.",
            "Draft a short letter to my old professor asking for a reference.",
            "Write a message to the building manager about the broken lift.",
            "Can you write a thank-you email to the hotel staff for a lovely stay?",
        )),
        "ideas": (0, (
            "Give me ideas for a cheap but fun first date.",
            "What can I do with my kids on a rainy Saturday in the city?",
            "Suggest some fun team names for a charity bike ride.",
            "What should I get my mum for Mother's Day? She loves gardening.",
            "Ideas for a 10-year-old's science-themed birthday party?",
            "What are some nice things to do for a friend who just had a baby?",
        )),
        "trivia-3": (0, (
            "Who painted The Starry Night?",
            "What's the capital of Canada?",
            "Which is the largest desert in the world?",
            "Who was the first president of the United States?",
            "What language do they speak in Brazil?",
            "What year did World War II end?",
        )),
        "banter": (0, (
            "Are you smarter than my cat?",
            "Be honest, am I a bad cook if I burn toast?",
            "What would you name a pet rock?",
            "Do robots like music?",
            "If you were a sandwich, which one would you be?",
            "What's the most fun fact you know about sloths?",
        )),
        "support": (0, (
            "I failed my driving test again. Feeling pretty low.",
            "My best friend moved away and I feel a bit lost.",
            "Work has been overwhelming lately and I just need to vent.",
            "I'm anxious about starting at a new school on Monday.",
            "I had an argument with my sister and I feel awful.",
        )),
        "stories-2": (1, (
            "Write a short story about a dog who becomes mayor of a small town.",
            "Tell me a bedtime story about a shy moon.",
            "Write a spooky story set in an empty library, under 300 words.",
            "Write a funny fable about a fox who tries to become vegetarian.",
            "Write a tiny story about two strangers sharing an umbrella.",
        )),
    },
    "reasoning": {
        "why-people": (1, (
            "Why do people keep buying lottery tickets when they know the odds?",
            "Why do we feel more tired after doing nothing all day?",
            "Why do people stay loyal to brands that treat them badly?",
            "Why do some people enjoy horror films?",
            "Why is it so hard to change a long-held belief?",
            "Why do rumours spread faster than corrections?",
        )),
        "dilemmas": (2, (
            "I found a wallet with \u00a3200 and no ID except a library card. What's the right "
            "thing to do, and why?",
            "Is it okay to tell a white lie to spare someone's feelings? Reason it through.",
            "Should a doctor ever keep a diagnosis from a patient? Consider both sides.",
            "My friend's business idea is bad. Should I tell them honestly? Weigh it up.",
            "Should a city spend its budget on a new stadium or on bus routes? Argue it "
            "through.",
        )),
        "predict": (1, (
            "If petrol prices doubled, how would people's habits change? Reason it out.",
            "What happens to a town when its main factory closes? Think through the chain of "
            "effects.",
            "If everyone worked from home, what would happen to city centres?",
            "What would change if school started at 10am instead of 8?",
            "If a country banned all advertising, what would the consequences be?",
        )),
        "logic-2": (1, (
            "If every A is a B and no B is a C, can any A be a C?",
            "Tom is older than Sue. Sue is older than Raj. Raj is older than Ana. Who is the "
            "second youngest?",
            "A says B lies. B says C lies. C says both A and B lie. Who tells the truth?",
            "If it's not raining, I walk. I didn't walk. Was it raining? Explain.",
            "Which number doesn't belong: 3, 5, 7, 9, 11? Explain your logic.",
        )),
        "assess": (2, (
            "Our startup doubled users but halved revenue per user. Are we doing better or "
            "worse? Reason it through.",
            "A study found people who drink coffee live longer. How much should I trust "
            "that?",
            "Is a 90% success rate for a surgery good? What else would you need to know?",
            "Two schools have the same average score but very different spreads. Which is "
            "better?",
            "A product has 4.8 stars from 12 reviews and another 4.5 from 3,000. Which would "
            "you trust more, and why?",
        )),
    },
    "code": {
        "write-3": (1, (
            "Write a function that validates an email address without using regex.",
            "Write a script that renames all photos in a folder by the date they were taken.",
            "Write a React component for a star rating input.",
            "Write a Python function that returns the n most common words in a text file.",
            "Write a SQL view that shows each customer's last order date.",
            "Write a Node.js script that pings a list of URLs and reports which are down.",
        )),
        "concepts-2": (0, (
            "What is dependency injection, with a small example?",
            "Explain the difference between a stack and a queue in code.",
            "What's a closure in JavaScript?",
            "When should I use an index in a database, and when not?",
            "What does idempotent mean for a REST endpoint?",
            "What is a race condition, with a code example?",
        )),
        "debug-3": (1, (
            "My Python script works in the terminal but not as a cron job. Why?",
            "Why does my SQL query return duplicates after I added a JOIN?",
            "My JavaScript date is off by one day. What's going on?",
            "My unit tests pass locally but fail randomly in CI. Where do I start?",
            "Segmentation fault in my C program when I free a pointer twice. How do I find "
            "it?",
            "My API returns 500 only for requests with non-ASCII names. How do I debug it?",
        )),
    },
    "math": {
        "homework": (1, (
            "Factorise x\u00b2 + 5x + 6.",
            "Find the slope of the line through (1, 2) and (4, 11).",
            "Solve e^x = 20 to three decimal places.",
            "What is the inverse of f(x) = 3x - 4?",
            "Expand (2x - 3)\u00b2.",
            "Solve |x - 4| < 3.",
        )),
        "applied": (1, (
            "How much paint do I need for a room 4 m by 5 m with 2.5 m walls, at 10 m\u00b2 "
            "per litre?",
            "If a recipe uses 3 eggs for 12 muffins, how many eggs for 30?",
            "At 60 km/h, how long does a 145 km trip take?",
            "A phone bill rose from $35 to $42. What's the percentage increase?",
            "A plumber charges $55 call-out plus $38 per half hour. What does 2.5 hours cost?",
            "How many tiles of 30 cm by 30 cm cover a floor of 3.6 m by 2.4 m?",
        )),
        "proof-4": (3, (
            "Prove that there are infinitely many primes.",
            "Show that the sum of two even numbers is even.",
            "Prove by induction that 1 + 2 + ... + n = n(n+1)/2.",
            "Prove that the product of any three consecutive integers is divisible by 6.",
            "Show that n\u00b3 - n is divisible by 6 for every integer n.",
        )),
    },
    "summarization": {
        "topic-short": (0, (
            "Give me a quick summary of how the stock market works.",
            "Summarize the causes of World War I in a few bullets.",
            "What's the short version of the story of the Beatles?",
            "Summarize the life of Marie Curie in a paragraph.",
            "Give me a brief overview of the history of the Olympic Games.",
            "Summarise the main points of the Paris climate agreement.",
        )),
        "notes-recap": (0, (
            "Summarize my notes: dentist moved to Tues 3pm, need to pick up dry cleaning, "
            "call mum about Sunday, pay electricity bill.",
            "Can you summarise this voice memo transcript: so yeah, the plan is we meet at "
            "nine, Jo brings the van, we load the boxes, and we should be done by noon.",
            "Give me a one-line summary of this: the client liked the design but wants a "
            "darker logo and the launch moved a week later.",
            "Sum up this chat: Anna says the venue is booked, Ben is still waiting on the "
            "caterer, and Cleo will send invitations on Friday.",
            "Summarize these bullet points into one sentence: budget approved; hiring two "
            "people; office move in May; new CRM in Q3.",
        )),
    },
    "translation": {
        "travel-phrases": (0, (
            "How do I say 'a table for two, please' in Portuguese?",
            "What's 'where is the train station' in Czech?",
            "How do I ask 'do you speak English?' in Thai?",
            "Translate 'I have a reservation under the name Smith' into Italian.",
            "How do you say 'the bill, please' in Vietnamese?",
            "What's 'I'm allergic to nuts' in Spanish?",
        )),
        "words-2": (0, (
            "What's the German word for 'sustainability'?",
            "How do you say 'sunflower' in French?",
            "What is 'cloud' in Japanese?",
            "Translate the word 'friendship' into Greek.",
            "What's 'library' in Turkish?",
            "How do you say 'carrot' in Korean?",
        )),
    },
    "extraction": {
        "inline-4": (0, (
            "Extract the names and ages: 'Tom (34), Lisa (29) and their son Max (5)'",
            "Find the time and place in: 'Let's meet at 7:30 at the Blue Door caf\u00e9'.",
            "Pull the amounts from: 'rent $1,200, utilities $140, internet $45'.",
            "Get the product codes from: 'items SKU-4410, SKU-4411 and SKU-5020 are back in "
            "stock'.",
            "Extract the sender and date from: 'From: Ruth Lee, Sent: 3 April 2025'.",
            "What are the dimensions in 'Box size 40 x 30 x 25 cm, weight 4.2 kg'?",
        )),
        "records": (1, (
            "Turn this into a record with name, role and start date: 'Please welcome Kenji "
            "Watanabe, our new head of design, who joins on 2 September.'",
            "Extract the booking details (guest, hotel, nights, price): 'Ms A. Novak, Hotel "
            "Sol, 3 nights from 12 May, \u20ac345 total.'",
            "From 'Match: Lions 27 - Sharks 24, attendance 31,200, man of the match J. "
            "Okoro', extract teams, score, attendance and player.",
            "Get the fields out of this: 'Vehicle: 2019 Toyota Corolla, 48,000 miles, "
            "registration KD19 XTR, price \u00a311,495'.",
            "Parse: 'Lecture: Intro to Ethics, Dr. Mensah, Room 2.14, Wednesdays 14:00-15:30' "
            "into course, lecturer, room and time.",
        )),
    },
}

# -- fourth round: more phrasings for pasted-text requests --------------------------------------

EXTRACT_4 = (
    "I need the following from this text: every person's name and the date linked to "
    "them.\n\n{text}",
    "Could you list the specific numbers that appear in this, with a few words on each? {text}",
    "{text}\n\nPlease extract the relevant details into a form: name, date, place, amount.",
    "Scrape out the key entities from this message: {text}",
    "What specific facts can you pull from this (no interpretation, just facts)?\n\n{text}",
    "{text}\n\nI'm filling in a spreadsheet. Give me the values from the text above.",
    "Look through this and write down every date, amount and name you find: {text}",
    "Enumerate the concrete details in the following text.\n\n{text}",
    "{text}\n\nCan you pull out the numbers only? No explanation needed.",
    "Please identify the dates and what happens on each, from this: {text}",
    "From the message below, capture the key data points as a list.\n\n{text}",
    "{text}\n\nPlease output a JSON with every number you can find and its meaning.",
    "Return the entities in this text grouped by type:\n\n{text}",
    "{text}\n\nWhat names, places and dates can you find above?",
    "Pluck the important figures out of this paragraph: {text}",
    "Find and list all mentions of money in the following: {text}",
    "{text}\n\nTabulate the facts from that text.",
    "Build me a fact sheet (field: value) from this text, no prose: {text}",
    "Extract, don't summarize: every name, number and date in this.\n\n{text}",
    "{text}\n\nOK, now list every entity mentioned in it.",
    "Mine this text for structured data (people, orgs, dates, amounts): {text}",
    "Which exact times and dates does this mention? {text}",
    "{text}\n\nGive me each figure from the text on a separate line.",
    "Turn the details of this message into a checklist of facts: {text}",
    "I want the raw data from this, as a bulleted list of values:\n\n{text}",
    "{text}\n\nDo me a favour and pull out all the numbers with their units.",
    "Read this and give me back only the names of people and organisations:\n{text}",
    "Grab every date from the following and sort them chronologically:\n\n{text}",
    "{text}\n\nList the specifics: who, what, when, where, how much.",
    "Can you identify all the locations and dates in this passage? {text}",
    "Produce a CSV (entity,type) of everything named in this text:\n\n{text}",
    "{text}\n\nPull every proper noun and every number out of the text above.",
    "What are the IDs, codes or reference numbers in this, if any? {text}",
    "Extract a list of the events mentioned, each with its time or date:\n\n{text}",
    "{text}\n\nKey facts only, as a list. Don't rephrase them.",
    "Please pull all the contact details and deadlines from this email: {text}",
    "Give me the metadata of this text: people, places, dates, amounts.\n\n{text}",
    "{text}\n\nextract the data please",
    "Identify every measurable quantity in this passage and list it: {text}",
    "Find the most important numbers in this and label them:\n\n{text}",
)
SUMMARIZE_4 = (
    "Could you summarise what this is saying? {text}",
    "{text}\n\nPlease summarise in your own words, briefly.",
    "Give me a quick TL;DR of the following:\n\n{text}",
    "What's the essence of this text? {text}",
    "{text}\n\nI'd like a short summary I can paste into an email.",
    "Sum up the following in a single short paragraph.\n\n{text}",
    "Summarise this for someone who has 30 seconds: {text}",
    "{text}\n\nHow would you summarise this in a sentence?",
    "Write a compact summary of this message:\n{text}",
    "Provide a high-level summary of the following: {text}",
    "{text}\n\nSummarize it for me in everyday language.",
    "Give me a bird's-eye summary of this:\n\n{text}",
    "Please give me a short rundown of what this text says: {text}",
    "{text}\n\nWhat's the main message here, in brief?",
    "Summary in 25 words or fewer:\n\n{text}",
    "Could you shorten this into a summary for the minutes? {text}",
    "{text}\n\nSummarise the above in a way a child could understand.",
    "Make a short overview of this message for my manager:\n\n{text}",
    "Summarize what happened, briefly: {text}",
    "{text}\n\nRecap please.",
    "Give me a short, faithful summary of this text:\n{text}",
    "Wrap this up into two sentences: {text}",
    "{text}\n\nCould you give me the key message in one or two lines?",
    "I need the short version of this for a slide: {text}",
    "Summarize the following text, highlighting only the most important point:\n\n{text}",
    "{text}\n\nsummary pls, keep it short",
    "What is the overall message of this? Summarize: {text}",
    "Skim the following and give me a summary:\n\n{text}",
    "{text}\n\nShort summary for my notes, please.",
    "Give me the highlights of this text in summary form: {text}",
)
TRANSLATE_4 = (
    "Can you translate the message below into {lang} for me?\n\n{text}",
    "{text}\n\nPlease provide the {lang} version.",
    "Translate into {lang}, keeping it close to the original:\n{text}",
    "My {lang}-speaking colleague needs to read this. Translate please: {text}",
    "{text}\n\nCould you turn this into {lang}?",
    "Translation into {lang} needed for the following:\n\n{text}",
    "Our partners in the region read {lang}. Please translate: {text}",
    "{text}\n\nHow do I say all of that in {lang}?",
    "Put this text into good {lang}:\n\n{text}",
    "Translate the following English into {lang}, same tone and length: {text}",
    "{text}\n\nTranslate the text into {lang} for our newsletter.",
    "I'd like this translated to {lang}, please:\n{text}",
)
TO_ENGLISH_2 = (
    "{text}\n\nI can't read this. Can you translate it into English?",
    "Can you translate this from my landlord into English? {text}",
    "Put this into English for me, please:\n\n{text}",
    "{text}\n\nTranslate this to English for me.",
    "I found this note, what does it say in English? {text}",
    "Please translate the following into English:\n{text}",
)

# Fourth round of hand-written groups.
LITERAL_4: dict[str, dict[str, tuple[int, tuple[str, ...]]]] = {
    "chat": {
        "morning": (0, (
            "Good morning! Any plans for today?",
            "Morning :) I need coffee before I can think.",
            "Rise and shine! What's a nice thing to do on a sunny Sunday?",
            "Hey, just woke up. How's your day going?",
            "Happy Friday! Got anything fun to say?",
        )),
        "gratitude-2": (0, (
            "You've been a huge help today, thank you.",
            "Thanks a million!",
            "Appreciate you taking the time, really.",
            "That did the trick, thanks a lot :)",
            "Legend. Thank you!",
            "Thanks, I'll give that a try tonight.",
        )),
        "wordplay": (0, (
            "Give me a knock-knock joke about bananas.",
            "Make up a tongue twister about purple penguins.",
            "What's a good dad joke about the weather?",
            "Write an acrostic poem for the name LUCY.",
            "Can you make a pun about pasta?",
            "Tell me a riddle-style joke for kids.",
        )),
        "social-posts-2": (0, (
            "Write a cheerful Instagram caption for our new puppy.",
            "Write a tweet celebrating our café's fifth birthday.",
            "Draft a short post inviting friends to my book launch.",
            "Write a fun LinkedIn post about my first week at a new job.",
            "Write a caption for a photo of my homemade lasagne.",
        )),
        "day-plans": (1, (
            "Plan a lazy but nice Saturday for me in Manchester.",
            "Help me plan a kid-friendly day out in London on a budget.",
            "Plan a cosy evening in for me and my partner, dinner and a film included.",
            "Help me organise a fun birthday brunch for eight friends.",
            "Plan a relaxing day at home after a stressful week.",
        )),
        "pets": (0, (
            "My cat keeps knocking things off the table. Any tips?",
            "What are some fun names for a pair of goldfish?",
            "How do I get my puppy to stop chewing my shoes?",
            "Is it okay to give my dog a bit of cheese as a treat?",
            "My rabbit seems bored. Any ideas to keep her entertained?",
        )),
        "music-film": (0, (
            "What's a good album to listen to on a long train ride?",
            "Recommend a funny film for a family night.",
            "Suggest some upbeat songs for a kitchen dance party.",
            "Which TV series should I binge this weekend? I loved Fleabag.",
            "Any good movies about space that aren't too scary for kids?",
        )),
        "compliment-me": (0, (
            "Write me a nice note to read when I feel down.",
            "Tell me something kind, it's been a long day.",
            "Hype me up for my presentation tomorrow!",
            "Say something to make my sister smile on her birthday.",
            "I need a little encouragement to finish this essay.",
        )),
        "facts-casual": (0, (
            "What's the largest animal that ever lived?",
            "Where do penguins live?",
            "What's the oldest city in Europe?",
            "Who invented the light bulb?",
            "What's the most spoken language in the world?",
            "How old is the universe?",
        )),
        "etiquette": (0, (
            "Is it rude to bring a plus-one to a wedding without asking?",
            "How much should I tip a hairdresser in the US?",
            "What do I wear to a garden party?",
            "Should I bring a gift to a housewarming?",
            "Is it okay to text my boss on the weekend?",
        )),
    },
    "reasoning": {
        "analyse-claims": (2, (
            "Someone says 'money doesn't buy happiness'. Is that true? Reason carefully.",
            "Is it true that we only use 10% of our brains? Explain why or why not.",
            "People say cold weather gives you colds. Is that right? Reason it through.",
            "Does banning something usually make people want it more? Weigh the evidence.",
            "Is multitasking really less efficient? Explain the reasoning.",
        )),
        "choose-between": (1, (
            "Train or plane from London to Edinburgh: which is better overall, and why?",
            "Should a beginner learn Python or JavaScript first? Argue it.",
            "Is it smarter to pay for a gym or buy equipment for home? Weigh it.",
            "Which is better for a small team: Slack or email? Reason through it.",
            "Should I repair my old laptop or buy a new one? Walk me through the decision.",
        )),
        "systems": (2, (
            "Why do traffic jams form even when there's no accident? Explain the mechanism.",
            "Why do prices go up when interest rates are low? Walk through the logic.",
            "Why do some species become invasive in a new habitat? Reason it out.",
            "Why do open-source projects struggle to find maintainers? Analyse the incentives.",
            "How does one late flight cause delays across a whole airline network? Think it "
            "through.",
        )),
        "puzzle-3": (2, (
            "You have a 3-litre jug and a 5-litre jug. How do you measure exactly 4 litres? "
            "Explain each step.",
            "A snail climbs 3 m up a 10 m well each day and slips 2 m each night. When does "
            "it get out, and why?",
            "Four friends each have a different drink: tea, coffee, juice, water. Ann hates "
            "coffee, Ben drinks juice, Cat doesn't drink tea. Who has what?",
            "If you're in a race and overtake the person in second place, what place are you "
            "in? Explain.",
            "There are two doors, one to freedom and one to doom, and two guards, one always "
            "lies and one always tells the truth. What single question do you ask?",
        )),
        "strategy": (2, (
            "How should a small bookshop compete with online retailers? Reason through the "
            "options.",
            "A charity gets 80% of donations in December. Is that a problem, and what would "
            "you do?",
            "Our volunteers keep dropping out after a month. What might be causing it, and "
            "what would you test first?",
            "How would you decide where to open a new gym in a city? Lay out the reasoning.",
            "Is it better for a band to release singles or a full album? Think it through.",
        )),
        "critical": (1, (
            "A headline says 'Chocolate helps you lose weight'. What questions should I ask "
            "before believing it?",
            "My friend says vaccines cause autism because her nephew was diagnosed after a "
            "shot. How should I think about that?",
            "An ad says '9 out of 10 dentists recommend' a toothpaste. What's the catch?",
            "A graph shows sales rising since we hired Dave. Does that prove Dave helped?",
            "If a drug works in mice, will it work in people? Reason about it.",
        )),
        "history-why-2": (1, (
            "Why did the Vikings stop raiding? Reason about the causes.",
            "Why did Rome build so many roads? Think about the motives.",
            "Why did the Titanic carry too few lifeboats? Analyse it.",
            "Why did the printing press spread faster in Europe than elsewhere?",
            "Why did so many empires collapse around 1200 BC? Weigh the explanations.",
        )),
    },
    "code": {
        "cli": (0, (
            "How do I check how much disk space each folder uses on Linux?",
            "What's the command to compress a folder into a tar.gz?",
            "How do I see the last 100 lines of a log file and follow it?",
            "How can I search for a string in all files in a directory?",
            "How do I change file permissions so only I can read a file?",
            "What's the curl command to send a JSON POST request?",
        )),
        "web": (1, (
            "How do I make a sticky navbar with CSS?",
            "Write a fetch call with async/await that handles errors properly.",
            "How do I validate a form in React before submitting?",
            "How do I add dark mode to my website with CSS variables?",
            "Write an Express middleware that logs each request's method and path.",
            "How do I make a responsive image gallery with CSS grid?",
        )),
        "data": (1, (
            "How do I pivot a DataFrame in pandas?",
            "Write a Python script that merges all CSV files in a folder into one.",
            "How do I remove rows with missing values in pandas?",
            "Plot a histogram of a column with matplotlib.",
            "How do I read an Excel file with several sheets in Python?",
            "Write SQL to compute a 7-day rolling average of daily sales.",
        )),
        "review-3": (1, (
            "Is this a good way to store passwords: `hash = md5(password)`?",
            "Review this: `for i in range(len(items)): print(items[i])`. Anything better?",
            "What's wrong with catching every exception with `except: pass`?",
            "Is it a problem to build SQL queries with string concatenation?",
            "Any issues with using `var` everywhere in modern JavaScript?",
        )),
        "mobile-misc": (1, (
            "How do I request location permission in an Android app?",
            "How do I store a small setting on iOS with Swift?",
            "Write a Flutter widget that shows a list of names.",
            "How can I send a push notification from a Firebase function?",
            "How do I make an API call in React Native?",
        )),
        "infra-2": (1, (
            "Write a docker-compose file for a Python app with Postgres and Redis.",
            "How do I set up HTTPS with Let's Encrypt on nginx?",
            "Write a Kubernetes deployment for a web app with three replicas.",
            "How do I schedule a Python script to run every hour on Linux?",
            "Write a Terraform snippet for an S3 bucket with versioning.",
        )),
    },
    "math": {
        "fractions": (0, (
            "What's 7/12 minus 1/4?",
            "Simplify 18/24.",
            "What is 2.5 divided by 0.5?",
            "Convert 0.375 to a fraction.",
            "What's 5/8 of 96?",
            "Which is bigger, 7/9 or 4/5?",
        )),
        "algebra-2": (1, (
            "Solve x\u00b2 - 5x + 6 = 0.",
            "If 4(x - 2) = 3x + 5, what is x?",
            "Solve for y: 2y/3 + 4 = 10.",
            "Find x if log\u2082(x) = 5.",
            "Solve the inequality 3x - 7 > 11.",
            "For what values of k does x\u00b2 + kx + 9 = 0 have one solution?",
        )),
        "prob-2": (1, (
            "What's the probability of drawing a heart or a king from a deck?",
            "Three coins are tossed. What's the probability of at least two heads?",
            "If the chance of rain is 30% each day, what's the chance of no rain in 3 days?",
            "A class has 12 boys and 18 girls. Two are chosen at random. P(both girls)?",
            "A spinner has 5 equal sectors numbered 1-5. What is the expected value of one spin?",
        )),
        "stats-2": (1, (
            "Compute the variance of 2, 4, 4, 4, 5, 5, 7, 9.",
            "What's the z-score of 85 if the mean is 70 and the standard deviation is 10?",
            "Find the interquartile range of 3, 7, 8, 12, 13, 14, 18, 21.",
            "If the correlation is 0.8, what share of the variance is explained?",
            "What's the mode and range of 4, 7, 7, 2, 9, 7, 3?",
        )),
        "calc-2": (1, (
            "Differentiate y = e^(3x) cos x.",
            "Find \u222b (2x + 1)/(x\u00b2 + x) dx.",
            "What is d/dx of sqrt(1 + x\u00b2)?",
            "Find the area under y = x\u00b2 between x = 1 and x = 3.",
            "Where is f(x) = x\u2074 - 4x\u00b2 increasing?",
        )),
        "money-2": (0, (
            "I earn $3,200 a month and spend 35% on rent. How much is rent?",
            "A $60 dinner split four ways with a 15% tip: how much each?",
            "How much interest does $10,000 earn in a year at 3.5%?",
            "If a house price rises from \u00a3250k to \u00a3280k, what's the percentage rise?",
            "What's the monthly cost of a \u20ac1,200 yearly subscription?",
        )),
    },
    "summarization": {
        "topic-3": (0, (
            "Summarize the history of the Roman Republic in five sentences.",
            "Give me the short version of how vaccines were developed.",
            "Summarise the causes and outcome of the Hundred Years' War.",
            "Briefly summarize the story of Apple's founding.",
            "Summarise the key ideas of stoicism in a few bullets.",
            "Give me a summary of the life of Nelson Mandela.",
        )),
        "books-3": (0, (
            "Summarize Brave New World in one paragraph.",
            "Give me a chapter-free summary of Jane Eyre.",
            "What's the plot of The Catcher in the Rye in short?",
            "Summarize Animal Farm for a 12-year-old.",
            "Short summary of War and Peace, please.",
            "Sum up the main story of The Alchemist.",
        )),
        "meeting-recap-2": (0, (
            "Summarize this call: we agreed to delay the launch two weeks, marketing will "
            "redo the banners, and QA gets one more sprint.",
            "Summarise: the landlord will fix the boiler on Monday, rent goes up 3% in "
            "April, and the bins move to Thursdays.",
            "Recap this thread: Sara can't do Tuesday, Omar prefers Wednesday, everyone else "
            "is flexible, so we're going with Wednesday at 2.",
            "Summarize the outcome: the board approved the budget, rejected the new office, "
            "and asked for a hiring plan by March.",
            "Give me the gist: the vet says Max is fine, just needs a lighter diet and more "
            "walks, and a check-up in six months.",
        )),
    },
    "translation": {
        "phrases-3": (0, (
            "How do you say 'see you soon' in Swedish?",
            "What's 'I'd like a coffee, please' in Portuguese?",
            "Translate 'my name is Anna' into Russian.",
            "How do I say 'happy anniversary' in Italian?",
            "What's 'good evening' in Hindi?",
            "How do I say 'I don't eat meat' in Mandarin?",
        )),
        "sentences-2": (0, (
            "Translate into French: 'The train leaves at six, don't be late.'",
            "Put into German: 'We're looking forward to your visit next month.'",
            "Translate to Spanish: 'The store closes early on Sundays.'",
            "Translate into Japanese: 'Thank you for coming all this way.'",
            "Say this in Dutch: 'Could you call me back tomorrow morning?'",
            "Translate 'Please wait here until your name is called' into Arabic.",
        )),
        "meaning-2": (0, (
            "What does 'wabi-sabi' mean in English?",
            "What's the meaning of 'dolce far niente'?",
            "Translate the Danish word 'hygge' and explain it briefly.",
            "What does 'na zdrowie' mean in Polish?",
            "What's the literal meaning of 'bon app\u00e9tit'?",
        )),
    },
    "extraction": {
        "inline-5": (0, (
            "List the countries in: 'We shipped to Chile, Kenya, Norway and Vietnam last "
            "year.'",
            "Extract the dates and amounts: 'Paid $300 on 2 Jan, $450 on 1 Feb, $300 on 3 "
            "Mar.'",
            "Get the usernames from: '@maria_dev, @ken99 and @lisa.m liked your post'.",
            "Pull the times out of: 'Open 9:00-17:30, lunch 12:30-13:15, late night Thu "
            "until 20:00'.",
            "Which brands are named in 'I compared Nike, Adidas and Asics running shoes'?",
            "Extract the measurements from: 'height 182 cm, weight 76 kg, shoe size 44'.",
        )),
        "fields-3": (1, (
            "From 'Jane Doe, 42, accountant, lives in Leeds, married, two kids' fill: name, "
            "age, job, city, family.",
            "Get the flight details: 'KL 1002 AMS-LHR, 14 Mar, dep 07:25, arr 07:45, seat "
            "23A'.",
            "Parse the recipe line '2 cups flour, 1 tsp salt, 3 eggs' into ingredient and "
            "quantity pairs.",
            "Extract order info from 'Order #7712: 3 x T-shirt (M), 1 x cap, total $64.50, "
            "ships Friday'.",
            "From 'Meeting with Dr. Ruiz, Tue 10 June 11:00, Room 4B, re: budget' extract "
            "who, when, where, topic.",
        )),
    },
}

# -- fifth round: pasted-text requests phrased as questions, tasks and workflows ------------------

EXTRACT_5 = (
    "When exactly does everything in this happen? Give me the times and dates.\n\n{text}",
    "{text}\n\nHow much money is involved above? Itemise each amount.",
    "Who should I contact according to this, and how? {text}",
    "{text}\n\nWhat's the reference number, if there is one, and any other IDs?",
    "I'm adding this to my calendar. Pull out the event name, date, time and location: {text}",
    "Put the people from this text into a table with name and role:\n\n{text}",
    "{text}\n\nList all the numeric values above in a table: value, unit, what it refers to.",
    "For my CRM: extract company, contact person, email and phone from this.\n\n{text}",
    "Which dates in this are deadlines, and which are just events? List both.\n\n{text}",
    "{text}\n\nExtract each step or task mentioned, with who does it.",
    "Go through this and pull any numbers I'd need for a budget: {text}",
    "Give me the five most important facts in this as short data points (not a summary):"
    "\n\n{text}",
    "{text}\n\nAny addresses, places or venues in there? List them.",
    "Collect the statistics in this passage into a list I can paste into a slide:\n\n{text}",
    "What products, services or items are named in this, with their prices? {text}",
    "{text}\n\nDraw out all the key figures and label them clearly.",
    "Identify the date range, the amounts and the people involved in this: {text}",
    "Export the details of this message as a JSON object (keys in snake_case):\n\n{text}",
    "{text}\n\nI need the names and dates from this for a database entry.",
    "From the notice below, extract what, where, when and who to contact.\n\n{text}",
    "Highlight the numbers in this text and explain what each one counts:\n{text}",
    "{text}\n\nCan you find every organisation or group that's mentioned?",
    "Get the quantities and measurements out of this, with units: {text}",
    "Pull out the conditions, limits and numbers from this text as a list:\n\n{text}",
    "{text}\n\nFrom that, give me: dates | amounts | names.",
    "Extract the timeline from this: each time or date followed by what happened.\n\n{text}",
    "List, with no commentary, all of the named people, places and things here: {text}",
    "{text}\n\nExtract the key-value pairs you can find (e.g. date: ..., price: ...).",
)
SUMMARIZE_5 = (
    "What's this passage trying to say overall? Short answer please.\n\n{text}",
    "{text}\n\nCan you sum that up so I can tell my partner over dinner?",
    "Summarize the following into a short paragraph that keeps the main conclusion:\n\n{text}",
    "Briefly restate the content of this text: {text}",
    "{text}\n\nTurn the above into a two-bullet summary.",
    "Write a short summary of this for people who won't read the whole thing:\n\n{text}",
    "Please provide a synopsis of the following text in plain English: {text}",
    "{text}\n\nShorten this to the most important sentence or two.",
    "Could you give me a brief recap of what's being said here? {text}",
    "Summarize this in the style of a short news headline plus one line:\n\n{text}",
    "{text}\n\nGive me a summary, and keep it under 40 words.",
    "Write a short summary that captures the tone and the main point of this: {text}",
    "What's the one thing I should take away from this text?\n\n{text}",
    "{text}\n\nIn short, what happened?",
    "Compress the following into a short summary paragraph:\n\n{text}",
    "Summarise this text for a WhatsApp message to my family: {text}",
    "{text}\n\nGive me an overview in a few sentences.",
    "Can you summarize this so it fits on a sticky note? {text}",
    "Read this and give me a short summary of the important parts:\n{text}",
    "{text}\n\nWrite a summary of this in about three lines.",
    "Summarize the following as if briefing a colleague who just joined:\n\n{text}",
    "{text}\n\nCan you sum that up neutrally and briefly?",
    "Shrink this text to a summary of a couple of lines: {text}",
    "Create a concise summary of the passage below.\n\n{text}",
    "{text}\n\nWhat's the summary in one breath?",
)
TRANSLATE_5 = (
    "Translate the following into {lang}. It's for a printed notice, so keep it formal:"
    "\n\n{text}",
    "{text}\n\nHow would a native {lang} speaker write this?",
    "Help me translate this message to {lang} before I send it: {text}",
    "{text}\n\nI need a faithful {lang} translation of everything above.",
    "Translate this from English to {lang}, please don't summarise: {text}",
    "Can you give me the {lang} for this whole text?\n\n{text}",
    "{text}\n\nTranslate to {lang} and keep the numbers exactly as they are.",
    "My {lang} host family should read this. Translate it for them:\n\n{text}",
)

# Fifth round of hand-written groups.
LITERAL_5: dict[str, dict[str, tuple[int, tuple[str, ...]]]] = {
    "chat": {
        "weekend": (0, (
            "Any fun ideas for this weekend? I'm stuck at home.",
            "What should I do tonight? I'm too tired to go out.",
            "I've got a free afternoon. Suggest something relaxing.",
            "What's a good thing to do on a sunny Sunday with no plans?",
            "I'm home alone this weekend. How do I make it fun?",
        )),
        "cooking-casual": (0, (
            "What's an easy dessert I can make in 20 minutes?",
            "How do I make my scrambled eggs creamier?",
            "What goes well with roast chicken as a side?",
            "Can I freeze leftover soup?",
            "What's a good vegetarian dish for a dinner party?",
            "How long should I rest a steak after cooking?",
        )),
        "travel-chat": (0, (
            "What should I pack for a week in Iceland in October?",
            "Is it worth visiting Venice in winter?",
            "Tips for a first solo trip abroad?",
            "What's the best way to beat jet lag?",
            "Beach or city break for a first holiday with a baby?",
        )),
        "creative-short": (1, (
            "Write a short poem about Monday mornings.",
            "Write a four-line rhyme for a retirement card.",
            "Write a limerick about a forgetful wizard.",
            "Write a short, funny ode to my old car.",
            "Write a haiku about a quiet train at night.",
        )),
        "how-are-you": (0, (
            "How are you doing today?",
            "What's up?",
            "How's it going, friend?",
            "You doing okay today?",
            "Hey, how have you been?",
        )),
        "life-advice": (0, (
            "How do I stop procrastinating on small chores?",
            "Any tips for sleeping better before a big day?",
            "How can I be more confident speaking in meetings?",
            "How do I say no to people without feeling guilty?",
            "What's a good morning routine for a busy parent?",
            "How do I make new friends after moving to a new city?",
        )),
    },
    "reasoning": {
        "why-science-2": (1, (
            "Why does salt melt ice on roads? Explain the cause.",
            "Why do we see lightning before we hear thunder? Reason it through.",
            "Why are there no green mammals? Think about the explanations.",
            "Why does a balloon stick to the wall after you rub it on your hair?",
            "Why do planes fly faster eastward across the Atlantic? Explain.",
            "Why can't you tickle yourself? Reason about it.",
        )),
        "decide-2": (2, (
            "Should our family get a dog now or wait until the kids are older? Help me weigh "
            "it.",
            "Is it better to study abroad for a year or graduate a year earlier? Think it "
            "through.",
            "Should I tell my boss I'm job hunting? Reason through the risks.",
            "My startup can take funding from a big investor with strict terms or grow "
            "slowly. How should we decide?",
            "Should our school switch to a four-day week to save money? Weigh the effects.",
        )),
        "cause-effect": (1, (
            "What are the knock-on effects of a city raising parking prices?",
            "If a supermarket chain cuts prices sharply, what happens to small shops nearby? "
            "Reason it out.",
            "What happens to house prices when a new train line opens? Explain the chain.",
            "How does a drought in one country affect food prices elsewhere? Think it "
            "through.",
            "What would happen to wages if robots did half of all warehouse jobs?",
        )),
        "brain-teasers": (1, (
            "A clock shows 3:15. What's the angle between the hands? Explain your reasoning.",
            "If it takes 5 machines 5 minutes to make 5 widgets, how long do 100 machines "
            "take to make 100 widgets? Why?",
            "I have two coins that total 30p and one of them isn't a 10p. What are they?",
            "A doctor's brother dies, but the man who died had no brother. How?",
            "How can you drop a raw egg onto concrete without cracking the concrete?",
        )),
        "evaluate-2": (2, (
            "Is GDP a good measure of how well a country is doing? Argue it.",
            "Are exams a fair way to measure learning? Weigh the arguments.",
            "Does social media make people lonelier? Look at both sides.",
            "Is it better for cities to grow up or out? Reason through the trade-offs.",
            "Should voting be compulsory? Consider the strongest arguments.",
        )),
    },
    "code": {
        "snippets-2": (0, (
            "Python: how do I get the keys of a dict sorted by value?",
            "JavaScript: how do I check if an object is empty?",
            "How do I format a number with thousands separators in Python?",
            "How do I get today's date in YYYY-MM-DD in JavaScript?",
            "In Go, how do I convert an int to a string?",
            "How do I read environment variables in Node?",
        )),
        "tasks-2": (1, (
            "Write a function that groups a list of words by their first letter.",
            "Create a small Python CLI that converts Celsius to Fahrenheit.",
            "Write a JavaScript function that shuffles an array.",
            "Write a function that checks if two strings are anagrams.",
            "Write a script that downloads all images from a web page.",
            "Write a SQL query that finds customers who never placed an order.",
        )),
        "errors-2": (0, (
            "What does 'IndentationError: unexpected indent' mean?",
            "How do I fix 'Permission denied (publickey)' when pushing to GitHub?",
            "What causes 'Maximum call stack size exceeded' in JavaScript?",
            "Why do I get 'ImportError: attempted relative import with no known parent "
            "package'?",
            "What does 'address already in use' mean when I start my server?",
        )),
        "arch-2": (2, (
            "How should I design a URL shortener's database and API?",
            "What's a good way to add background jobs to a Django app?",
            "How do I structure authentication for a mobile app and a web app sharing one "
            "API?",
            "Design a simple rate limiter for my API and show the code.",
            "How would you cache expensive database queries in a Flask app?",
        )),
    },
    "math": {
        "mental": (0, (
            "What's 15% of 80?",
            "What's 48 times 25?",
            "Quick: 25 \u00d7 25 in your head?",
            "What's 1,000 minus 387?",
            "How much is 11 \u00d7 11 \u00d7 11?",
            "What's 144 divided by 12?",
        )),
        "sequences-2": (1, (
            "Find the 15th term of 50, 46, 42, 38, ...",
            "Does the series 1 + 1/2 + 1/3 + 1/4 + ... converge?",
            "Find the next two terms: 1, 1, 2, 3, 5, 8, ...",
            "What's the sum of the first 50 even numbers?",
            "A sequence doubles each term starting at 3. What is the 10th term?",
        )),
        "units": (0, (
            "How many minutes are in a leap year?",
            "Convert 5 feet 9 inches to centimetres.",
            "How many litres is 3 gallons (US)?",
            "What's 100 km/h in miles per hour?",
            "How many square metres is an acre?",
        )),
        "word-3": (1, (
            "Tom is twice as old as his sister. In 5 years he'll be 1.5 times her age. How "
            "old are they?",
            "A 60 cm ribbon is cut so one piece is twice the other. How long is each?",
            "Two pipes fill a pool in 6 and 9 hours. How long together?",
            "A shop sells pens at 3 for $2. How much do 20 pens cost?",
            "If 8 workers finish a job in 15 days, how many days would 12 workers take?",
        )),
    },
    "summarization": {
        "summarize-idea": (0, (
            "Summarize the idea of supply and demand in two sentences.",
            "What's the theory of evolution in a nutshell?",
            "Give me the gist of Keynesian economics.",
            "Sum up what machine learning is in a few lines.",
            "Briefly summarize what the Renaissance was.",
        )),
        "summarize-media": (0, (
            "Summarize the first season of Stranger Things.",
            "What's the plot of Hamilton the musical, briefly?",
            "Give me a short recap of the Harry Potter series.",
            "Summarize the storyline of The Last of Us game.",
            "Quick recap of the Star Wars original trilogy?",
        )),
    },
    "translation": {
        "ask-how": (0, (
            "How would I say 'I'm running late, sorry' in German?",
            "How do you write 'welcome home' in Japanese?",
            "What's the Spanish for 'could you speak more slowly?'",
            "Translate 'Where can I charge my phone?' into French.",
            "How do I say 'nice to meet you too' in Korean?",
        )),
    },
    "extraction": {
        "inline-6": (0, (
            "What's the total in 'Subtotal 84.00, tax 6.72, total 90.72'?",
            "Extract the names from 'Present: J. Alvarez, M. Chen, P. Novak; apologies: R. "
            "Singh'.",
            "Find the dates: 'Born 12/03/1988, joined 01/09/2015, promoted 15/06/2021'.",
            "Which cities appear in 'Offices in Austin, Dublin and Singapore, HQ in Austin'?",
            "Pull the percentages from 'turnout 67%, yes 52%, no 48%'.",
        )),
    },
}

# fmt: on
