"""Demo articles for `manage.py load_demo_content`: written for this project, in our own words."""

SECTIONS = [
    ("Technology", "technology", 1),
    ("Business", "business", 2),
    ("Science", "science", 3),
    ("Culture", "culture", 4),
    ("Sport", "sport", 5),
]

AUTHORS = [
    ("Marta Ribeiro", "marta-ribeiro", "Covers consumer technology and the car industry."),
    ("Daniel Okafor", "daniel-okafor", "Business editor; writes about markets and start-ups."),
    ("Ines Carvalho", "ines-carvalho", "Science reporter with a soft spot for space and climate."),
    ("Tom Hargreaves", "tom-hargreaves", "Culture and sport, and anything with a scoreboard."),
]

LEAD_SLUG = "xiaomi-electric-car-mass-production-2024"

# The article the product was modelled on, retold in our own words.
LEAD = {
    "slug": LEAD_SLUG,
    "title": "Xiaomi aims to mass-produce its electric car as early as 2024",
    "standfirst": (
        "The phone maker's chief executive told investors the car project is on schedule, "
        "with volume production pencilled in for the first half of 2024."
    ),
    "section": "technology",
    "authors": ["marta-ribeiro"],
    "tags": ["Xiaomi", "Electric cars", "China"],
    "body": """
Xiaomi, best known for its smartphones, says its electric car is on track. Speaking at a
meeting with investors, reported by Reuters, chief executive Lei Jun said the company expects
to begin mass production in the first half of 2024.

The company first announced its plan to build a car in March. In August it registered its
electric-vehicle business and set out a long-term investment plan for the next ten years. It
has also bought DeepMotion, a start-up working on self-driving technology, and has been hiring
engineers for the new unit.

It is still unclear whether Xiaomi will build the car in its own factories. Analysts expect
it to work with an established manufacturer, which would help it reach a competitive price in
a crowded market.

Work on the project was said to have started in April, with the team recruiting specialists in
vehicle technology and production. In an earlier statement, Xiaomi described its interest in
the electric-vehicle ecosystem as long-standing and said its research had not yet become an
official project at that point.

What do you make of a phone maker building its own car? Tell us in the comments below.
""",
}

# (slug, title, section, author, tags, standfirst, two facts used to write the body)
MORE = [
    (
        "xiaomi-may-outsource-car-production",
        "Xiaomi may outsource its electric car production",
        "technology",
        "marta-ribeiro",
        ["Xiaomi", "Electric cars", "China"],
        "Partnering with an established carmaker could help Xiaomi hit a competitive price.",
        (
            "Xiaomi has not said whether it will build its own factory",
            "contract manufacturing is common among new car brands",
        ),
    ),
    (
        "xiaomi-car-project-begins",
        "Xiaomi starts work on its own electric car",
        "technology",
        "marta-ribeiro",
        ["Xiaomi", "Electric cars"],
        "The company is recruiting specialists in vehicle technology and production.",
        (
            "work on the car project was due to begin in April",
            "the team is studying technologies and production processes",
        ),
    ),
    (
        "battery-prices-fall-again",
        "Battery pack prices fall for a third year",
        "business",
        "daniel-okafor",
        ["Electric cars", "Batteries"],
        "Cheaper cells are narrowing the price gap between electric and petrol cars.",
        (
            "cell makers expanded capacity faster than demand grew",
            "lithium prices eased after a record year",
        ),
    ),
    (
        "charging-network-expands",
        "Fast-charging network doubles along motorways",
        "technology",
        "marta-ribeiro",
        ["Electric cars", "Infrastructure"],
        "Drivers on long trips will find a fast charger every 60 km on main routes.",
        (
            "operators installed most new chargers at service stations",
            "payment by card is now standard at new sites",
        ),
    ),
    (
        "smartphone-sales-q3",
        "Smartphone sales recover in the third quarter",
        "business",
        "daniel-okafor",
        ["Xiaomi", "Smartphones"],
        "Mid-range phones led a modest recovery after two weak years.",
        (
            "shipments rose for the first time in eight quarters",
            "Chinese brands gained share in Europe and Latin America",
        ),
    ),
    (
        "self-driving-trial-city",
        "Self-driving taxis begin a trial in the city centre",
        "technology",
        "marta-ribeiro",
        ["Self-driving", "Transport"],
        "A safety driver will ride in every car for the first six months.",
        (
            "the trial covers a zone of twelve square kilometres",
            "passengers book rides through an app and pay normal fares",
        ),
    ),
    (
        "chip-plant-announced",
        "New chip plant promises 2,000 jobs",
        "business",
        "daniel-okafor",
        ["Semiconductors", "Jobs"],
        "Construction starts next spring on a site outside the port.",
        (
            "the plant will make chips for cars and appliances",
            "regional government support covers part of the cost",
        ),
    ),
    (
        "mars-sample-return-delay",
        "Mars sample return mission faces new delay",
        "science",
        "ines-carvalho",
        ["Space", "Mars"],
        "Engineers are redesigning the lander to cut weight and cost.",
        (
            "the samples are already sealed in tubes on the surface",
            "a review board asked for a simpler architecture",
        ),
    ),
    (
        "heatwave-record-summer",
        "Summer heat sets a record across southern Europe",
        "science",
        "ines-carvalho",
        ["Climate", "Weather"],
        "Meteorologists logged the longest run of days above 40°C on record.",
        (
            "night-time temperatures stayed unusually high",
            "water reservoirs fell to their lowest level in a decade",
        ),
    ),
    (
        "coral-reef-recovery",
        "Coral reef shows surprising signs of recovery",
        "science",
        "ines-carvalho",
        ["Oceans", "Climate"],
        "Survey divers counted more young coral than in any year since monitoring began.",
        (
            "cooler water last winter helped the reef recover",
            "scientists warn one good year is not a trend",
        ),
    ),
    (
        "film-festival-opens",
        "Film festival opens with a record number of debut directors",
        "culture",
        "tom-hargreaves",
        ["Film", "Festivals"],
        "Almost half of this year's competition films are first features.",
        (
            "the opening film is a documentary about fishing towns",
            "tickets for weekend screenings sold out in hours",
        ),
    ),
    (
        "museum-reopens",
        "City museum reopens after a three-year renovation",
        "culture",
        "tom-hargreaves",
        ["Museums", "Architecture"],
        "New galleries double the space for the permanent collection.",
        (
            "entry will stay free on the first Sunday of each month",
            "the roof now carries solar panels",
        ),
    ),
    (
        "book-prize-shortlist",
        "Book prize shortlist favours small publishers",
        "culture",
        "tom-hargreaves",
        ["Books", "Prizes"],
        "Four of the six shortlisted novels come from independent presses.",
        (
            "the winner will be announced next month",
            "translated fiction is on the list for the first time",
        ),
    ),
    (
        "league-title-race",
        "Title race goes to the final weekend",
        "sport",
        "tom-hargreaves",
        ["Football"],
        "Two clubs are level on points with one match left.",
        (
            "goal difference separates the leaders by a single goal",
            "both final matches kick off at the same time",
        ),
    ),
    (
        "marathon-course-record",
        "Course record falls at the city marathon",
        "sport",
        "tom-hargreaves",
        ["Running"],
        "Cool weather and a flat new route helped the leading runners.",
        (
            "more than 30,000 people finished the race",
            "the new route avoids the steep bridge climb",
        ),
    ),
    (
        "cycling-lanes-expand",
        "Protected cycle lanes reach the suburbs",
        "technology",
        "marta-ribeiro",
        ["Transport", "Cities"],
        "The city adds 40 km of lanes separated from traffic.",
        (
            "cycling trips rose by a fifth where lanes opened last year",
            "shopkeepers were consulted on loading bays",
        ),
    ),
    (
        "startup-funding-slows",
        "Start-up funding slows, but climate tech holds up",
        "business",
        "daniel-okafor",
        ["Start-ups", "Climate"],
        "Investors are more selective, except in energy and batteries.",
        (
            "early-stage rounds took longer to close",
            "climate start-ups raised about the same as last year",
        ),
    ),
    (
        "quantum-computing-milestone",
        "Lab reports a quantum computing milestone",
        "science",
        "ines-carvalho",
        ["Computing", "Physics"],
        "The team kept error rates falling as it added qubits.",
        (
            "independent groups have yet to reproduce the result",
            "useful applications remain years away",
        ),
    ),
    (
        "streaming-prices-rise",
        "Streaming services raise prices again",
        "culture",
        "tom-hargreaves",
        ["Television", "Streaming"],
        "Cheaper plans with adverts are becoming the default.",
        ("subscribers are rotating services month to month", "sports rights are pushing costs up"),
    ),
    (
        "olympic-venue-plans",
        "Olympic venue plans put reuse first",
        "sport",
        "tom-hargreaves",
        ["Olympics", "Architecture"],
        "Most events will use existing or temporary venues.",
        (
            "the athletes' village will become housing afterwards",
            "organisers published a carbon budget for the games",
        ),
    ),
    (
        "ev-second-hand-market",
        "Second-hand electric cars find buyers",
        "business",
        "daniel-okafor",
        ["Electric cars", "Markets"],
        "Battery health certificates are building trust among used-car buyers.",
        (
            "prices for three-year-old models fell sharply",
            "dealers now offer battery checks on request",
        ),
    ),
    (
        "solar-storage-homes",
        "Home batteries take off alongside rooftop solar",
        "science",
        "ines-carvalho",
        ["Energy", "Batteries", "Climate"],
        "Households store midday sun for the evening peak.",
        (
            "installers report waiting lists of several weeks",
            "new tariffs pay more for power at peak times",
        ),
    ),
    (
        "phone-repair-law",
        "New rules make phones easier to repair",
        "technology",
        "marta-ribeiro",
        ["Smartphones", "Right to repair"],
        "Makers must sell spare parts for seven years.",
        (
            "batteries must be replaceable with common tools",
            "repair manuals must be published online",
        ),
    ),
    (
        "local-derby-preview",
        "Derby preview: form favours the visitors",
        "sport",
        "tom-hargreaves",
        ["Football"],
        "The away side is unbeaten in its last eight matches.",
        ("the home side's captain returns from injury", "the match is sold out"),
    ),
]

# Curated related links: (from slug, [to slug or (title, url)], index placed inside the body)
RELATED = {
    LEAD_SLUG: (
        [
            "xiaomi-may-outsource-car-production",
            "xiaomi-car-project-begins",
            "battery-prices-fall-again",
            "charging-network-expands",
            "smartphone-sales-q3",
            ("Reuters technology news", "https://www.reuters.com/technology/"),
        ],
        {0: 2, 1: 3},
    ),
    "xiaomi-may-outsource-car-production": ([LEAD_SLUG, "xiaomi-car-project-begins"], {}),
    "battery-prices-fall-again": (["ev-second-hand-market", "solar-storage-homes", LEAD_SLUG], {}),
    "charging-network-expands": ([LEAD_SLUG, "cycling-lanes-expand"], {}),
    "self-driving-trial-city": ([LEAD_SLUG, "charging-network-expands"], {0: 1}),
    "heatwave-record-summer": (["coral-reef-recovery", "solar-storage-homes"], {}),
    "league-title-race": (["local-derby-preview", "marathon-course-record"], {}),
}


def body_for(title: str, standfirst: str, facts: tuple[str, str]) -> str:
    first, second = facts
    return (
        f"{standfirst}\n\n"
        f"Our reporters followed the story this week. According to the people involved, "
        f"{first}.\n\n"
        f"There is more to it than the headline. Those who follow the subject closely point out "
        f"that {second}.\n\n"
        f"We will keep following “{title}” and update this article as the story develops.\n\n"
        "What do you think? Share this article with your friends and tell us in the comments."
    )
