"""Story fragment tables for the offline generator."""

from __future__ import annotations

CONCEPTS: tuple[str, ...] = (
    "disgraced court astrologer",
    "retired siege engineer who still counts walls",
    "smuggler of forbidden hymnals",
    "lighthouse keeper whose light was decommissioned",
    "cartographer of places that no longer exist",
    "former royal food-taster with an iron stomach",
    "runaway novice from a silent order",
    "bankrupt heir to a perfume fortune",
    "professional mourner who has started to mean it",
    "reformed forger of saints' relics",
    "canal-lock keeper who knows every boatman's secret",
    "itinerant tooth-puller with very steady hands",
    "deserter from a war nobody remembers starting",
    "apprentice embalmer who talks to the clients",
    "shipwright's widow turned wreck-salvager",
    "exiled chess champion",
    "beekeeper who reads omens in the swarm",
    "tax assessor on the run from the ledgers",
    "candlemaker for a cathedral that burned down",
    "failed playwright with exactly one good play",
    "grave-warden of a flooded cemetery",
    "courier who has never once delivered late",
    "circus knife-thrower whose partner retired suddenly",
    "hangman's apprentice who refused the rope",
    "collector of last words",
    "translator for a language with three living speakers",
    "mapmaker banned from three cities",
    "locksmith who cannot leave a closed door alone",
    "riverboat card sharp with a troublesome conscience",
    "snow-pass guide who once lost a whole caravan",
    "ex-convict who served someone else's sentence",
    "noble's body-double who outlived the noble",
    "herbalist with a poisoner's reputation",
    "bell-caster whose bells always crack",
    "foundling raised by a travelling library",
    "cook from a city that survived a long siege",
    "glassblower with smoke-scarred lungs",
    "keeper of a menagerie that escaped",
    "archivist who burned the wrong archive",
    "pearl diver who can hold a breath for far too long",
    "former bandit chief who misses doing the accounts",
    "crossing-sweeper who overheard too much",
    "sculptor who only ever carves hands",
    "pawnbroker who keeps everything no one redeems",
    "shepherd who walked out of a plague valley alone",
    "rat-catcher to a royal palace",
    "forger of travel permits",
    "key witness in a trial that never ended",
    "wandering scribe who writes letters for those who cannot",
    "quarry foreman who dug up something best left buried",
    "ghost-story collector who has started believing them",
    "lamplighter from a city of permanent fog",
    "heir to a title that was sold at auction",
    "bonded servant who bought back the bond",
    "barge-town fiddler with perfect pitch",
    "reluctant prophet of very small events",
    "mercenary paymaster who never forgets a face",
    "retired duellist with a ruined sword hand",
    "salt-flats prospector",
    "hermit who grew bored of solitude",
    "widowed innkeeper who burned down the inn",
    "survivor of a single, terrible naval battle",
    "tutor to a child who grew up into a tyrant",
    "dye-works heir with permanently blue hands",
    "clock-winder who stopped every clock in town one night",
    "tollkeeper of a bridge that collapsed",
    "plague-doctor's orderly",
    "falconer who lost the falcon",
    "ferryman who carried the wrong passenger",
    "soap-maker with ambitions of nobility",
    "pearl thief in deep hiding",
    "pilgrim who arrived at the holy city and found nothing there",
    "street-preacher of a creed with no other followers",
    "stonemason who signs every stone",
    "horse trader drowning in debt",
    "census-taker who counted one person too many",
    "midwife to a noble house",
    "stowaway who never got off the ship",
    "perfumer who has lost the sense of smell",
    "ink-maker whose ink will not fade",
    "auctioneer of dead people's belongings",
    "eel-fisher from the drowned parishes",
    "poet laureate of a very small village",
    "exorcist who has never met a real ghost",
    "former mayor of a town that voted to disband",
    "orphanage runaway with a forged pedigree",
    "moneylender to thieves",
    "weather-watcher for a fleet of fishing boats",
    "wheelwright who dreams of flying machines",
    "master of hounds dismissed for kindness",
    "gambler who once won a ship in a single hand",
    "recovering alchemist",
    "beadle of a university that expelled everyone",
)

CLASS_ROLES: dict[str, tuple[str, ...]] = {
    "barbarian": (
        "hill-clan berserker",
        "pit fighter with a short fuse",
        "storm-walking raider",
        "tundra wanderer",
        "axe-singer of the high passes",
        "bear-cloaked outrider",
        "bone-painted war-dancer",
        "frostbitten reaver",
        "river raider",
        "wild-blooded bruiser",
        "grudge-keeping skirmisher",
    ),
    "bard": (
        "itinerant lutenist",
        "ballad-seller",
        "court satirist",
        "travelling storyteller",
        "broadsheet poet",
        "street-corner fiddler",
        "keeper of lost songs",
        "masque player",
        "tavern chronicler",
        "wandering herald",
        "puppet-show singer",
    ),
    "cleric": (
        "parish priest",
        "shrine-keeper",
        "battlefield chaplain",
        "temple healer",
        "wandering confessor",
        "reliquary guardian",
        "hospice keeper",
        "cemetery chaplain",
        "pilgrim-preacher",
        "oracle's attendant",
        "hearth-priest",
    ),
    "druid": (
        "hedge-druid",
        "grove-warden",
        "weather-reader",
        "circle initiate",
        "moorland herb-reader",
        "stone-circle keeper",
        "beast-speaker",
        "fungus-gatherer of the deep woods",
        "fen-walker",
        "seed-keeper",
        "tide-reader",
    ),
    "fighter": (
        "sellsword",
        "caravan guard",
        "drill sergeant",
        "duelling master",
        "shield-bearer",
        "veteran pikeman",
        "tourney champion",
        "garrison captain",
        "bodyguard for hire",
        "militia captain",
        "ship's marine",
    ),
    "monk": (
        "wandering ascetic",
        "temple brawler",
        "monastery gardener",
        "mountain hermit",
        "bell-tower disciple",
        "open-hand pilgrim",
        "cloister runner",
        "silent-order initiate",
        "tea-house philosopher",
        "barefoot mendicant",
    ),
    "paladin": (
        "oath-sworn knight",
        "templar",
        "holy warden",
        "crusading vigilante",
        "penitent champion",
        "shrine protector",
        "vowed avenger",
        "knight-errant",
        "lantern-bearer of a holy order",
        "sworn defender of the weak",
    ),
    "ranger": (
        "border scout",
        "trail warden",
        "monster tracker",
        "bounty hunter",
        "wilderness guide",
        "forest outrider",
        "fur trapper",
        "marsh ranger",
        "mountain pathfinder",
        "beast hunter",
        "frontier sentinel",
    ),
    "rogue": (
        "cutpurse",
        "second-storey thief",
        "fence",
        "confidence artist",
        "spy",
        "smuggler",
        "cat burglar",
        "pickpocket",
        "fixer",
        "informant",
        "knife-for-hire",
    ),
    "sorcerer": (
        "wild mage",
        "storm-touched wanderer",
        "dragon-blooded prodigy",
        "accidental spellcaster",
        "hedge sorcerer",
        "fire-tongued mystic",
        "bloodline heir",
        "sparking street-conjurer",
        "reluctant spark",
        "star-touched foundling",
    ),
    "warlock": (
        "pact-bound occultist",
        "hexblade for hire",
        "patron-sworn seer",
        "contract mage",
        "bargain-maker",
        "whisper-bound scholar",
        "debt-sworn hexer",
        "candlelit diabolist",
        "fey-bargained wanderer",
        "pact-keeper",
    ),
    "wizard": (
        "hedge wizard",
        "academy dropout",
        "spell-scribe",
        "court magician",
        "tower apprentice",
        "itinerant enchanter",
        "book-hunting scholar",
        "ritual cartographer",
        "archive mage",
        "conjurer of small wonders",
    ),
}

PLACES: tuple[str, ...] = (
    "Brackwine",
    "the river-town of Cask",
    "Hollin Ferry",
    "Under-Tessick",
    "the Nine Wells of Amarr",
    "Gullstair",
    "Marrowgate",
    "the Sallow Fens",
    "Kettle Haven",
    "the monastery town of Hesk",
    "Dunmere-on-the-Weir",
    "Tansy Cross",
    "the glassblowers' quarter of Vessary",
    "Old Pellick",
    "the salt-pans of Ostry",
    "Threnody Lock",
    "Coldhaven Steps",
    "the Ninefold Delta",
    "Wickmallow",
    "the drowned parish of Saint Enna",
    "Harrowby Mills",
    "Quarrenfold",
    "the tin-mining town of Scathe",
    "Lowbarrow",
    "the Ashmarket",
    "Ellerholt",
    "Pennywhistle Row",
    "the kiln district of Orrow",
    "Mothwick",
    "Keyturn Abbey",
    "Fallowmere",
    "Skerry Oddmouth",
    "the reed villages of the Sorrel Flats",
    "Greyhallow",
    "the rope-making town of Castellane",
    "Bittern Moor",
    "the caravan city of Qessa",
    "Hob's Landing",
    "the Tallow Steps",
    "Corvish",
    "the dock ward of Marl",
    "Brindle",
    "the Candlewright Ward",
    "Upper Ossery",
    "the shrine-island of Yeld",
    "Nettlecomb Hythe",
    "the bridge-city of Saffer",
    "Caddow Fells",
    "Stillbrine Crossing",
    "the quarry-town of Greyfret",
    "Amberlock",
    "Tethe of the Whistling Archives",
    "Dovecote Knoll",
    "Millrace",
    "the Tidewrack Coast",
    "Sorrowby",
    "Seven Stairs",
    "Ironmouth Sound",
    "the copper-roofed city of Vaska",
    "Bellrock",
    "Lenn-of-the-Geese",
    "Weeping Tor",
    "Carrow's Rest",
    "the frost-farms of Ulder",
    "the Inkwell Quarter",
    "Thistlemarch",
    "the pilgrim town of Amadell",
    "Slake",
    "Halt-and-Hollow",
    "Indigo Ferry",
    "Skellmoor",
    "the barge-town of Tarry",
    "Wrenfold",
    "the graveyard town of Kesh",
    "Little Hask",
    "the half-sunken city of Oredd",
    "Marl Bottom",
    "Gallows Notch",
    "Kelpmouth",
    "the Pell Street ward",
    "Fenwright",
    "the island abbey of Morrow",
    "Rooksend",
    "the terraced vineyards of Essery",
    "Cinder Hythe",
    "the high pastures of Ormsk",
    "Haverlock",
    "the Ninth Ward of Quessary",
    "Drownwater",
    "the glass-domed city of Tirrow",
    "Bramblemouth",
    "the lock-keepers' village of Fessel",
    "Merrowdeep",
    "the tanners' ward of Orkh",
    "Ashpenny",
    "Widow's Thumb",
    "Greenbarrow",
    "the spice port of Ahzmar",
    "Sleetwater",
    "the garrison town of Hallan's Gap",
    "Crookback Ford",
    "the Thimble Skerries",
    "Lower Mossing",
    "the cloth-town of Weft",
    "Gannet's Reach",
    "the canal city of Serravel",
    "Blackpitch",
    "the temple city of Ushkarra",
    "Hollowmass",
    "the snowbound town of Thrane",
    "Quillmouth",
)

FACTIONS: tuple[str, ...] = (
    "the Worshipful Company of Lamplighters",
    "the Salt Exchequer",
    "the Fellowship of the Unlit Road",
    "the Ninefold Court",
    "the Candlewick Syndicate",
    "the Sisters of the Quiet Bell",
    "the Drowned Parish Relief Society",
    "the Marrowgate Lumpers' Guild",
    "the Order of the Patient Hound",
    "the Assay Office of Brackwine",
    "the Red Ledger",
    "the Company of the Long Table",
    "the Lantern Watch",
    "the Hollow Choir",
    "the Free Cartographers",
    "the Society for the Recovery of Lost Things",
    "the Glasswrights' Compact",
    "the Grey Tithe",
    "the Vigil of Saint Enna",
    "the Kettle Street Irregulars",
    "the Ferrymen's Covenant",
    "the College of Unfinished Works",
    "the Barrow Wardens",
    "the Tallow Chandlers' Guild",
    "the Undertow",
    "the Honourable Company of Ropemakers",
    "the Twelve Keys",
    "the Order of the Closed Eye",
    "the Bridgeward Militia",
    "the Quiet Hand",
    "the Copper Synod",
    "the Sodality of Small Mercies",
    "the League of Toll-Keepers",
    "Mother Orrow's Children",
    "the Scriveners' Compact",
    "the Widows' Fleet",
    "the Ashmarket Consortium",
    "the Tide Assembly",
    "the Chapter of the Burning Quill",
    "the Gallows Charity",
    "the Wayhouse Keepers",
    "the Blue Hand Dyers",
    "the Ninth Pike of Hallan's Gap",
    "the Orrery Club",
    "the Almoners of the Open Door",
    "the Gilded Weir Company",
    "the Night Market Council",
    "the Lodge of the Hooded Crane",
    "the Stonecounters",
    "the Fellowship of the Last Ferry",
    "the Moth Court",
    "the Bellfounders' Guild of Tethe",
    "the Crown Auditors",
    "the Thornback Freeholders",
    "the Almanac Society",
)

MENTORS: tuple[str, ...] = (
    "a one-armed shipwright who could still outwork any crew",
    "a retired hangman who grew prize roses",
    "a blind cartographer who drew maps from other people's descriptions",
    "an aunt who ran the best illegal card game on the river",
    "a monastery cook with opinions about everything",
    "a travelling tooth-puller with a cart full of books",
    "a disgraced knight working as a night watchman",
    "a goatherd who had once been a famous duellist",
    "a grandmother who kept the whole village's genealogies in her head",
    "a canal-lock keeper who read philosophy aloud to passing barges",
    "an old soldier who taught with a broom handle",
    "a widowed glassblower who never once raised her voice",
    "a smuggler who paid tithes to three different gods",
    "a temple archivist with ink-stained teeth",
    "a hedge-doctor who charged in eggs",
    "a former spy who retired to breed pigeons",
    "a lighthouse keeper with a library of shipwreck logs",
    "a mute stonemason who spoke in chalk",
    "an exiled prince who sold turnips at market",
    "an executioner's widow who knew every knot there is",
    "a beekeeping anchoress who spoke only through a grille",
    "a circus strongwoman with a gift for arithmetic",
    "a drunk, brilliant alchemist who was right about half the time",
    "a river pilot who knew the bottom of every channel by smell",
    "a merchant's clerk who could copy any signature",
    "a bear-keeper from a travelling menagerie",
    "an elderly priest who had lost faith but kept the rituals",
    "a gravedigger who sang to the dead",
    "a fletcher with an endless supply of terrible jokes",
    "a wandering tinker who fixed things nobody else could",
    "a chess-playing prisoner in the next cell",
    "a cloth merchant who secretly ran a school for runaways",
    "a half-blind sergeant who could still hit a coin at fifty paces",
    "a herbalist who tested every remedy on herself first",
    "a master thief retired to a small vineyard",
    "an ancient ferrywoman who charged her fares in stories",
    "a court scribe dismissed for excessive accuracy",
    "a hermit who lived in the hollow of a dead oak",
    "a famous cook who claimed to have poisoned exactly one king",
    "a stable-master who trusted horses more than people",
    "a professional mourner with a voice like a cello",
    "a former pirate who taught sums to dockside children",
    "a rope-maker who could tie a knot for every feeling",
    "a village wise-woman whom everyone feared and everyone visited",
    "a wandering friar who carried a sword he never drew",
    "a librarian who guarded one forbidden shelf",
    "an orphanage matron who had once commanded a warship",
    "a tanner who knew the names of all the stars",
    "a bridge-toll keeper who collected riddles instead of coins",
    "a retired opera singer who taught breathing as a martial art",
    "a street magician who swore none of it was magic",
    "a sea-captain who had run aground in every harbour on the coast",
    "a weaver who wove the news into tapestries",
    "a sour old banker who had once paid for an entire war",
    "a blacksmith who forged only nails and was proud of it",
    "a fortune-teller who was always technically correct",
    "a dockside surgeon with very clean hands",
    "a shepherd who could read the weather in the wool",
    "a tutor who taught everything through games of knucklebones",
    "a reformed cult leader who ran a soup kitchen",
    "an explorer who had walked off the edge of three different maps",
    "a salt-miner who had not seen daylight in a decade",
    "an undertaker with a gentle sense of humour",
    "a siege engineer who built toys for the village children",
    "a chandler who could tell a lie from the way a candle burned",
)

RIVALS: tuple[str, ...] = (
    "a childhood friend who took both the credit and the inheritance",
    "a cousin who inherited everything on a technicality",
    "an ambitious magistrate with a perfect conviction record",
    "a bounty hunter who has never once lost a quarry",
    "a former partner who kept the map and the money",
    "a cheerful assassin who always sends flowers first",
    "a rival apprentice who now runs the old workshop",
    "a self-styled hero with a much better reputation",
    "a debt collector with infinite patience",
    "a broadsheet writer who prints every rumour twice",
    "a noble whose portrait was ruined at the worst possible moment",
    "a smuggler captain who owes a life and hates owing it",
    "a twin who chose the opposite side",
    "a duellist who demands a rematch every spring",
    "a merchant prince who buys up every debt in sight",
    "a tax inspector with a personal vendetta",
    "a jilted suitor with a talent for poisons",
    "a spymaster who collects people like coins",
    "a reformed villain whom everyone else has forgiven",
    "a scholar who published the same discovery one week earlier",
    "a mercenary captain who once left a whole squad to die",
    "a forger who can imitate any handwriting, even that of the dead",
    "a hedge-knight who claims an old victory was stolen",
    "a cult recruiter who never forgets a face",
    "a guild master who blacklisted an entire family",
    "a pickpocket child who is always one step ahead",
    "an inquisitor who is almost unfailingly polite",
    "a sea-captain who sank the wrong ship on purpose",
    "a bard who wrote a very popular and very unflattering song",
    "a wealthy collector who wants one particular heirloom",
    "a former mentor who turned out to be a fraud",
    "an older sibling who has never once lost an argument",
    "an innkeeper who has banned the whole family for three generations",
    "a warlord's quartermaster who never forgets a debt",
    "a fey noble offended by a forgotten courtesy",
    "a necromancer who insists a certain grave is spoken for",
    "a crooked sheriff who runs three villages like a private farm",
    "a gambler who has lost everything except a grudge",
    "a lawyer who has filed eleven lawsuits and won none of them, yet",
    "a town crier who seems to know everything a day early",
    "a veteran who blames a lost battle on bad orders",
    "a perfumer who stole a secret formula",
    "a temple treasurer with missing funds and a scapegoat in mind",
    "a rival claimant to a small and worthless title",
    "a charming impostor living under a borrowed name",
    "a monster hunter who treats everyone as a monster until proven otherwise",
    "a horse thief with impeccable manners",
    "a ship's navigator who swears the sea belongs to the guild",
    "a toll lord who doubles the fee for old enemies",
    "an archivist who refuses to return a single borrowed book",
    "a twelve-year-old prodigy with a terrifying memory",
    "a former sweetheart who now commands the city watch",
)

OBJECTS: tuple[str, ...] = (
    "a key that fits no lock anyone has found",
    "a child's shoe cast in bronze",
    "a deck of cards with one extra queen",
    "a compass that points toward the nearest grave",
    "a jar of river water that never evaporates",
    "a wax seal belonging to a house that does not exist",
    "a surgeon's saw engraved with forty names",
    "a prayer book with every third page cut out",
    "a whistle carved from a bird's bone",
    "a bell with no clapper",
    "a portrait with the face scraped away",
    "a letter of pardon with the name left blank",
    "a dented tin cup from a prison hulk",
    "a string of glass beads, each with a tiny bubble trapped inside",
    "a map of a coastline that has moved since it was drawn",
    "a silver spoon bitten nearly in half",
    "a mask made of pressed flowers",
    "a wedding ring too large for any finger",
    "a pocket sundial that tells the time somewhere else",
    "a lock of hair bound with red thread",
    "a wooden leg with a hidden compartment",
    "a tarnished medal for a battle that was officially never fought",
    "a music box that plays a tune nobody recognises",
    "a whetstone worn into a crescent by generations of use",
    "a list of names, half of them crossed out",
    "a lantern whose flame burns cold",
    "a jar of teeth, each labelled with a date",
    "a tide-table for a harbour that silted up a century ago",
    "a chess piece carved from shipwreck oak",
    "a pair of spectacles with one lens of smoked glass",
    "a recipe book annotated in three different hands",
    "a broken sword hilt wrapped in a child's ribbon",
    "a ring of keys to a house that burned down",
    "a folded flag from a surrendered fort",
    "a hand-bell from a leper hospital",
    "a sealed jar labelled 'Do Not Open Until I Am Dead'",
    "a silk purse full of coins from no known mint",
    "a dried seahorse on a leather thong",
    "a clay tablet covered in tally marks",
    "a stone with a perfect hole bored through it",
    "a glove that once belonged to a famous duellist",
    "a fishing hook made of solid gold",
    "a book of sermons with a dagger-shaped hollow cut through the pages",
    "a ship in a bottle that is slowly sinking",
    "a map drawn on the inside of a drum skin",
    "a tooth from something much larger than a horse",
    "a ceremonial spade from a royal funeral",
    "a pocket watch that runs backward on holy days",
    "a doll with real hair and a stitched mouth",
    "a bundle of unsent love letters",
    "a quill that writes only in red",
    "a copper bracelet that grows warm near lies",
    "a lump of sea-glass shaped like a heart",
    "a contract signed in what is probably blood",
    "a pilgrim's badge from a shrine that was never built",
    "a bag of seeds that no farmer can identify",
    "a cracked hand mirror that reflects a moment late",
    "a fisherman's float of green glass, still sealed",
    "a pewter badge from a disbanded city watch",
    "a set of knucklebones carved from a saint's relics",
    "a single iron gauntlet with a name scratched inside",
    "a hymnal in a language nobody speaks",
    "a small box that clicks when opened, as if something just left",
    "a marionette with the strings cut on one side only",
    "a marriage contract between two strangers",
    "a rusted padlock with the key fused inside",
    "a set of loaded dice that always roll fair",
    "a scarf knitted by someone who plainly could not knit",
    "a sailor's tattooing kit in a whalebone case",
    "a shard of stained glass showing half a face",
    "a weathervane shaped like a running hare",
    "a bag of marbles, one of which is always warm",
    "a tinderbox that has never once failed",
    "a locket holding two portraits of the same stranger",
    "a knife with a blade of black volcanic glass",
    "a signet ring from a family that disowned it",
    "a rosary strung with fish vertebrae",
    "a bell-founder's mould for a bell never cast",
    "an abacus with one bead missing",
    "a waterlogged diary kept by a drowned captain",
    "a crown made of braided wire",
    "a painted fan showing a city on fire",
    "a clay pipe that smells of someone else's tobacco",
    "a bottle of ink that never runs dry",
    "a child's drawing of a dragon, signed and dated",
)

DEITIES: tuple[str, ...] = (
    "Verrun the Tallykeeper",
    "Mother Hask of the Low Fires",
    "Ilvenne Who Mends Nets",
    "Orrinth the Patient Flood",
    "Saint Quell of the Unlit Road",
    "Amaduz the Salt-Bearer",
    "Brannoch of the Ninth Furrow",
    "Lady Temmet of Small Mercies",
    "Kaszel the Hanged Bell",
    "Ysbel, Keeper of Thresholds",
    "Old Gorrow Under the Hill",
    "Nemmaris of the Tidewrack",
    "Pellucid Ama",
    "Hollin the Seedcounter",
    "Ushet of the Second Dawn",
    "Vharos the Unbought",
    "Sorrel-and-Ash",
    "Maddoc the Debtless",
    "Quenna of the Long Table",
    "Tzorin the Candle-Eater",
    "Iskra of the Forge-Spark",
    "Thole, the God Who Waits",
    "Ebbe of the Turning Tide",
    "Marrach the Mile-Walker",
    "Oma Serrit of the Seven Wells",
    "Faleth Grey-Lantern",
    "Ruun of the Deep Seam",
    "Hesper Ninefold",
    "Cobwen Who Opens Latches",
    "Dravik the Last Witness",
    "Lisset of the Green Ledger",
    "Ombrey the Drowned Shepherd",
    "Saffra of the Heavy Rain",
    "Ukkret the Kiln Mother",
    "Tavish Threecoins",
)

EARLY_LIFE: tuple[str, ...] = (
    (
        "{name} was born in a ferry cabin halfway across the river at {place}, and the ferryman still claims a share "
        "of every birthday."
    ),
    (
        "The youngest of seven, {name} grew up over a tannery in {place} and learned early that a bad smell keeps most "
        "trouble at a distance."
    ),
    "{name} was raised by {mentor}, who never once explained where the baby had come from.",
    (
        "Every winter of {their} childhood, {name} helped cut ice from the lakes above {place} and pack it in sawdust "
        "for rich people's cellars."
    ),
    (
        "As a runner for the bell-ringers of {place}, {name} learned which peal meant a birth, which meant a fire, and "
        "which meant a debt come due."
    ),
    (
        "{Their} parents kept bees above a chandlery in {place}, and {name} was taught to tell the hives every piece "
        "of family news before telling anyone else."
    ),
    (
        "Long before anyone called {name} the {role}, {their} great talent was fishing drowned letters out of the "
        "canals of {place} and drying them on the roof to read."
    ),
    (
        "{name} grew up inside the debtors' prison of {place}, where {their} mother kept the accounts for the warden "
        "and half the inmates."
    ),
    (
        "{name} was the only {kin} child in a village of goatherds above {place}, and answered every question about it "
        "with a shrug that hardened into a habit."
    ),
    (
        "{Their} grandmother smuggled salt past {faction} for forty years, and {name} learned to walk silently by "
        "carrying her sacks at night."
    ),
    (
        "At six, {name} was fostered out to {mentor}, part of a bargain between two families that nobody will fully "
        "explain."
    ),
    (
        "Nobody in {place} would have guessed that the quiet child sorting fishhooks on the quay would grow up to "
        "become the {concept}."
    ),
    "At eleven, {name} was apprenticed to {mentor}, still a long way from becoming the {concept}.",
    (
        "{Their} family had produced six generations of millers in {place}, and then, without any warning, produced "
        "the {concept}."
    ),
    (
        "The first thing {name} ever stole was a hymnbook from a shrine of {deity}, which in hindsight was an early "
        "sign of the {concept}."
    ),
    "{name} grew up expecting to inherit the family bakery in {place}; nobody at the ovens saw the {concept} coming.",
    (
        "{name} was born during the siege of {place} and spent the first year of life in a cellar, fed on watered milk "
        "and rumours."
    ),
    (
        "{Their} earliest memory is of floodwater carrying a cradle through the streets of {place}, with {name} still "
        "in it."
    ),
    (
        "{name} was raised in the choir school of {deity} in {place} and can still sing every psalm backward, which is "
        "less useful than it sounds."
    ),
    (
        "{name}'s parents ignored the custom of {place}, where children are named for the weather on the day of birth, "
        "and chose a name purely to annoy a neighbour."
    ),
    (
        "Growing up among the ropewalks of {place}, {name} learned to splice a line before learning to write, and "
        "still thinks in knots."
    ),
    "As a child, {name} sold fish-heads to the cats of {place} and kept a ledger of which cats paid in mice.",
    (
        "{name} was found at the age of four asleep in the donation box of a shrine to {deity}, and was raised by the "
        "priests as a kind of unpaid tithe."
    ),
    (
        "{Their} mother was the most feared wrestler in {place} and {their} father a timid bookbinder, and {name} "
        "inherited exactly the wrong half of each."
    ),
    (
        "{name} spent childhood summers on the salt-pans of {place}, raking white crystals under a sun that bleached "
        "everything, including ambition."
    ),
    "Raised by {mentor}, {name} was picking up the habits of the {role} years before learning to read.",
    (
        "{name}'s childhood ended the summer {faction} bought the whole of {place}, including the house {name} was "
        "born in."
    ),
    (
        "The orphan wards of {place} put children to work; {name} was given to the laundry, where the steam taught "
        "patience and the mangles taught caution."
    ),
    (
        "Every village has one odd child, and in {place} it was {name}, who collected the shed skins of snakes and "
        "catalogued them by length."
    ),
    (
        "{name} was born into a company of travelling players and learned every part in the repertoire, which made "
        "becoming the {role} seem almost dull by comparison."
    ),
    (
        "{name} was raised on a fishing boat out of {place} and did not sleep in a bed that held still until the age "
        "of twelve."
    ),
    (
        "{Their} family were tenants of {faction} in {place}, and {name} grew up knowing exactly how much every "
        "harvest owed and to whom."
    ),
    (
        "At eight, {name} fell through the ice of a millpond near {place} and was under for a full minute; {their} "
        "family insists that something different came back up."
    ),
    (
        "{name} grew up in the kitchens of a great house in {place}, learning the names of the nobility by the way "
        "each of them sent back the soup."
    ),
    (
        "The {role} in {name} was first noticed by {mentor}, who caught the child doing something clever and has "
        "refused ever since to say what it was."
    ),
    (
        "{name} was raised in a caravan that never stopped anywhere for long, and calls {place} home only because it "
        "was where the wheel finally broke."
    ),
    (
        "Born in the shadow of a shrine to {deity}, {name} grew up selling candles to pilgrims and quietly relighting "
        "the ones the wind put out."
    ),
    (
        "{name} learned to read from the warning notices posted by {faction}, which explains a lifelong habit of "
        "reading everything as a threat."
    ),
    (
        "A poor harvest in {place} sent {name}'s family south to {place2}, where the young {kin} learned that being "
        "the newcomer is a trade of its own."
    ),
    (
        "{name} spent early years as a page in a minor noble house in {place}, carrying notes that the lord of the "
        "house very much wanted unread."
    ),
    (
        "{Their} father was hanged in {place} for a crime {their} mother committed, and {name} grew up in the long "
        "shadow of that particular silence."
    ),
    (
        "{name} was a sickly child, kept alive on broth, stubbornness, and stories about the {role} the child might "
        "one day become, all of them supplied by {mentor}."
    ),
    (
        "In {place}, young {people} are expected to choose a trade at ten; {name} chose five, was bad at four, and was "
        "thrown out of the fifth."
    ),
    (
        "{name} grew up on a terraced vineyard above {place}, where a single hailstorm could undo a year's work and "
        "frequently did."
    ),
    (
        "Nobody in {name}'s family had ever left {place}, so the first long journey, at fourteen, was taken on foot "
        "and without permission."
    ),
    (
        "{name} was raised in a lighthouse, and still cannot sleep in complete darkness without counting to twelve "
        "between imagined flashes."
    ),
    (
        "As a child, {name} sold pies outside the magistrates' court in {place}, which taught more about people than "
        "anything since, including life as the {concept}."
    ),
    "{name} grew up in a family of gravediggers in {place} and still judges soil by its taste.",
    (
        "Left as a foundling at the public wash-house of {place}, {name} was raised in common by the washerwomen and "
        "still has eleven mothers, none of whom agree about anything."
    ),
    (
        "{name} was born to a court musician in {place} and had {their} hands insured before the first birthday, a "
        "policy that quietly lapsed once the {role} turned out to have other talents."
    ),
    (
        "{name} spent {their} childhood in {place2} as a ward of {faction}, an arrangement that included lessons, "
        "meals, and an unsettling number of oaths."
    ),
    (
        "{name} was born in {place} in the year the river froze solid, and the midwives swore the ice cracked at the "
        "first cry."
    ),
    "A childhood among the market stalls of {place} taught {name} six languages, all of them for haggling.",
    (
        "{name}'s first teacher was {mentor}, whose only lesson was that every locked door is a question, which is "
        "perhaps how the {concept} began."
    ),
    (
        "{Their} parents ran a wayhouse on the road between {place} and {place2}, so {name} grew up watching strangers "
        "and guessing which of them were lying."
    ),
    (
        "Adopted after a shipwreck off {place}, {name} was raised by a family that shared not a single feature with "
        "the child, and never once mentioned it."
    ),
    (
        "{name} spent {their} earliest years as a mudlark on the tideflats of {place}, and still keeps the collection: "
        "eleven coins, two rings, and a finger bone."
    ),
    "Long before becoming the {concept}, {name} was the best goose-herd in {place}, and remains oddly proud of it.",
    (
        "If the {concept} has a beginning, it is the winter {name} spent snowed into a shepherd's hut above {place} "
        "with nothing to read but a single almanac."
    ),
    (
        "{name}'s family still tells the story of the day the future {role} fell into the well at {place} and came out "
        "holding a silver cup."
    ),
    (
        "Schooled by the priests of {deity} in {place}, {name} was expected to take vows, and instead took the road "
        "that led, eventually, to life as the {role}."
    ),
    "The elders of {place} predicted great things for {name}, but none of them predicted the {concept}.",
    (
        "{name} was the kind of child who took clocks apart and put them back with parts left over, which anyone could "
        "have told you would end with the {concept}."
    ),
    (
        "Growing up in {place}, {name} was taught by {mentor}, which explains at least half of the {role} and all of "
        "the bad habits."
    ),
    (
        "{name} used to follow soldiers out of {place} for a mile just to hear them swear, and the {role} still swears "
        "like a quartermaster."
    ),
    "{Their} mother used to say {name} came into the world arguing; the {role} has yet to stop.",
    (
        "{name} grew up in {place} in a house with exactly one book, and read it so often that {their} earliest "
        "opinions were all borrowed from a dead admiral."
    ),
    (
        "Before becoming the {concept}, {name} spent five years as a chorister in {place}, and can still hold a note "
        "long enough to make a room uncomfortable."
    ),
    (
        "{name} learned to fight on the docks of {place}, learned to read at sixteen, and learned to be the {role} "
        "much later, and mostly by accident."
    ),
    (
        "{name} was born in a border town that changed hands four times in {their} childhood; the {role} still keeps "
        "two flags in the pack, just in case."
    ),
    (
        "Raised among neighbours who distrusted books, {name} hid a library under the floorboards, and the {role} who "
        "grew out of it still reads by candle stub."
    ),
    (
        "{name} ran away from {place} at twelve to join {faction} and was sent home a week later with a letter of "
        "apology and an unexpected taste for the life of the {role}."
    ),
    (
        "Everyone in {place} remembers the child {name} once was, the one who stopped a runaway cart with a broom, "
        "long before anyone thought of the {concept}."
    ),
    (
        "{name} spent early years carrying water for {mentor}, a habit so ingrained that it survived even the long "
        "road to becoming the {concept}."
    ),
    (
        "As a child in {place}, {name} wanted only to be a lamplighter, and {their} family still considers the "
        "{concept} a serious step down."
    ),
    "{name} was a foundling left on the doorstep of {faction} with a note that read simply: 'Eventually.'",
    (
        "{name} grew up in the shadow of a great-aunt, the most celebrated {role} {place} ever produced, and has spent "
        "years failing to live up to someone nobody else remembers."
    ),
)

PIVOTAL_MOMENTS: tuple[str, ...] = (
    (
        "Everything changed the night {name} pulled a stranger out of a burning granary in {place}: the stranger was "
        "{rival}, and the only reward was a lawsuit."
    ),
    "In the belly of a fish bought at market in {place}, {name} found {object}, and nothing has gone normally since.",
    (
        "The turning point came when {faction} offered {name} a choice between a prison cell and a very specific "
        "errand; the errands have not stopped since."
    ),
    "The will of {mentor} left {name} only two things: a sealed instruction to go to {place2}, and {object}.",
    (
        "{name} became the {role} on the day a plague closed {place}, because somebody had to do the work and nobody "
        "else was left standing."
    ),
    (
        "A single bet in a dockside game in {place} won {name} the deed to a parcel of land nobody has ever been able "
        "to find."
    ),
    "Before the magistrates of {place}, {name} testified against {rival}, told the whole truth, and lost anyway.",
    (
        "During the great fire of {place}, {name} carried eleven people out of a burning almshouse and went back for a "
        "twelfth who was never found."
    ),
    (
        "{name} took holy orders in the service of {deity}, lasted nine days, and left with a stolen relic and the "
        "first stirrings of the {role}."
    ),
    (
        "Paid to lose a fight in the pits of {place}, {name} won it instead, and the resulting debts were the first "
        "step toward becoming the {concept}."
    ),
    (
        "A storm drove {name}'s ship onto the rocks near {place}; of forty souls aboard, seven reached the shore, and "
        "{name} carried two of them."
    ),
    (
        "{name} fell in love with an agent of {faction} in {place}, and learned of the betrayal only by reading about "
        "it in the broadsheets."
    ),
    (
        "When the lord of {place} seized {their} family's land, {name} did the one thing nobody expected: walked to "
        "the capital and won it back in court."
    ),
    "{name} spent a year imprisoned in {place} for a forgery that was, in fairness, a very good forgery.",
    "An accident at the mill in {place} cost {name} two fingers and a brother, and gave {them} a reason to leave.",
    (
        "{name} stopped making things and started becoming the {role} on the day {their} workshop burned to the "
        "ground, set alight by {rival}."
    ),
    (
        "{name} saved the life of a stranger in {place2} who turned out to be a senior member of {faction}, and has "
        "been owed a favour ever since, which is worse than it sounds."
    ),
    (
        "During the long winter in {place}, {name} kept an entire street alive by rationing a single cellar of "
        "turnips, and has not eaten a turnip since."
    ),
    (
        "{name} was sold at twelve to settle a family debt, and bought back {their} freedom at twenty with money "
        "nobody has asked about."
    ),
    (
        "On the road to {place2}, {name} had a chance meeting with {mentor}; it ended an apprenticeship, a betrothal, "
        "and very nearly {name}'s life, in that order."
    ),
    (
        "{name} came home to {place} after three years away to find the house sold, the family scattered, and {their} "
        "own name on a gravestone."
    ),
    (
        "The {role} that {name} became was forged in a single terrible week, when {faction} came to {place} looking "
        "for someone to blame."
    ),
    (
        "{name} won a poetry contest in {place} with a verse about {deity} and was promptly accused of heresy by three "
        "separate temples."
    ),
    (
        "On a dare, {name} spent a night in the ruins outside {place} and came back at dawn with {object} and a flat "
        "refusal to say anything else."
    ),
    (
        "{name} walked away from a comfortable post with {faction} after being ordered to burn a village's grain "
        "stores, and has been a wanted {kin} ever since."
    ),
    (
        "{name} once held a bridge in {place} alone for the better part of an hour, though the official report credits "
        "a militia that arrived afterward."
    ),
    "{name} first met {rival} at a simple horse sale, which ended with a duel, a fire, and a lifelong enmity.",
    (
        "{name} prayed to {deity} exactly once, in a flooded mine beneath {place}, and the water went down; the {role} "
        "has been uneasy about it ever since."
    ),
    (
        "After the disappearance of {mentor}, {name} followed the trail as far as {place2} and found only {object}, "
        "placed neatly on an empty chair."
    ),
    "{name} was the sole witness to a murder in {place}, and the wrong people know it.",
    (
        "A bad winter, a worse debt, and a desperate midnight bargain with {faction} are the whole of what made {name} "
        "the {concept}."
    ),
    (
        "Conscripted into a war between {place} and {place2}, {name} deserted after the first battle and kept the "
        "uniform as a reminder."
    ),
    (
        "The apprenticeship ended when {name} corrected the master's arithmetic in front of a paying client; the road "
        "afterward led, slowly, to the {concept}."
    ),
    (
        "{name} carried a dying courier's last message across {place} without knowing what it said, and has been "
        "trying to find out ever since."
    ),
    (
        "A fever took {name}'s sight for a month; when it came back, {name} saw the world the way the {role} sees it, "
        "and never quite saw it any other way again."
    ),
    (
        "Over a game of knucklebones, {name} won {object}; the loser was {rival}, who has been demanding a rematch "
        "ever since."
    ),
    (
        "After the collapse of the bridge at {place}, {name} spent a month digging survivors out of the river mud, and "
        "something in {them} stayed down there."
    ),
    (
        "The {role} was made, not born: {name} studied for six years under {mentor}, then spent six more unlearning "
        "half of it."
    ),
    (
        "{name} was briefly and accidentally married in {place} to a member of {faction}; the annulment is still "
        "working its way through three courts."
    ),
    (
        "In {place}, {name} once broke a prisoner out of gaol on the promise of a lasting friendship; the prisoner was "
        "{rival}, and the friendship lasted until the first crossroads."
    ),
    (
        "When the river changed its course and swallowed half of {place}, {name} was the one who rowed the ledgers of "
        "{faction} to safety, and read them on the way."
    ),
    (
        "A clerical slip in the counting-house at {place} sent a fortune to the wrong person; {name} made the slip, "
        "and quietly mending it is how the {concept} came to be."
    ),
    (
        "{name} spent a season as a hostage in {place2}, exchanged for a neighbour's good behaviour, and came back "
        "with an unsettling fondness for the captors."
    ),
    (
        "The night {name} refused an order from {faction}, three people lived who should have died, and one of the "
        "three has followed {name} around ever since."
    ),
    (
        "A shipwreck near {place} left {name} stranded for a season among fisherfolk who had never seen an outsider, "
        "and {name} came home changed."
    ),
    (
        "At the bottom of a staircase in {place}, {name} found the body of {mentor}, and has never accepted that it "
        "was a fall."
    ),
    (
        "{name} sang at a wedding in {place}, was overheard by a dying patron, and received a bequest large enough to "
        "ruin the next five years."
    ),
    "The {role} who walked out of the salt mines of {place} was not the same {kin} who walked in.",
    (
        "{name} once stole a horse, a cart, and a duke's wedding cake in a single afternoon in {place}, and regrets "
        "only the cake."
    ),
    (
        "A letter arrived in {place} addressed to {name} in {their} own handwriting, dated ten years in the future; "
        "{name} left town the same night."
    ),
    (
        "The collapse of {faction} in {place} took every penny {name} had saved and nearly all of {their} faith in "
        "ledgers; what was left became the {concept}."
    ),
    (
        "During a riot in {place}, {name} took a blow meant for {rival}, and neither of the two has ever been able to "
        "explain why."
    ),
    (
        "While planting turnips outside {place}, {name} dug up {object}, and within a week three different strangers "
        "had offered to buy it."
    ),
    (
        "In the space of one summer in {place}, {name} buried a parent, lost a trade, and found the {role} that had "
        "apparently been waiting all along."
    ),
    (
        "{name} walked into a temple of {deity} in {place} to rob the collection box and walked out an hour later, "
        "having confessed everything to a priest who only laughed."
    ),
    (
        "{name} spent three years as a clerk in {place}, was dismissed for honesty, and spent the severance on the "
        "first tools of the {role}."
    ),
    (
        "A fall from the rigging off {place} left {name} with a limp and a long convalescence, during which the "
        "{concept} was quietly assembled out of books and boredom."
    ),
    (
        "{name} made one promise to a dying stranger on the road to {place2}, and every decision since has been "
        "measured against it."
    ),
    (
        "Accused of theft by {rival} before the whole guild in {place}, {name} answered with a punch, and the guild "
        "struck both names from the rolls; it was the best thing that ever happened to the {role}."
    ),
    (
        "{name} lost everything in a single hand of cards in {place} and won it all back the following night; nothing "
        "since has felt quite so frightening or so ordinary."
    ),
    (
        "It was a wrong turn that began it all: {name} took the left fork outside {place}, walked into the middle of a "
        "battle, and walked out on the road to becoming the {concept}."
    ),
    "{name} was chosen by lot in {place} to carry the annual tribute to {faction}, and did not deliver it.",
    (
        "At the worst moment of {name}'s life, a kind word came from {mentor}; by {name}'s own account, it is the only "
        "reason the {role} exists at all."
    ),
    (
        "{name} watched {faction} hang an innocent cobbler in {place}; that morning is the root of everything since, "
        "up to and including the {concept}."
    ),
    "{name} was named heir by a dying stranger in {place2} whose family is still contesting the will.",
    (
        "The night the dam above {place} broke, {name} rang the warning bell until {their} hands bled, and the {role} "
        "still cannot hear a bell without flinching."
    ),
    (
        "{name} was once mistaken for a famous {role} in {place} and played along for a week, which turned out to be "
        "excellent training."
    ),
    (
        "{name} inherited a failing business in {place}, ran it into the ground with great determination, and emerged "
        "from the wreckage as the {concept}."
    ),
    (
        "After losing a duel in {place} to {rival}, {name} spent a year recovering and the rest of the decade becoming "
        "the {concept}."
    ),
    (
        "{name} was sentenced to a year of penance at a shrine of {deity}, and the solitude did what the magistrates "
        "could not, producing, in time, the {concept}."
    ),
    (
        "{name} walked out of {faction} with nothing but {object}, and that walk was the first mile of the long road "
        "to the {concept}."
    ),
    (
        "A stranger in {place} paid {name} a month's wages to carry a box to {place2} and not open it; {name} opened "
        "it, and that is how the {concept} began."
    ),
    (
        "An earthquake in {place} split {name}'s house in two, and {name} lived in the surviving half for a year, "
        "which explains a great deal about the {concept}."
    ),
    (
        "{name} once spent a winter locked in a library in {place} by mistake, and came out in spring as something "
        "close to the {concept}."
    ),
    (
        "{name} was the last one out of {place} before the quarantine fell, and the {role} has never said who was left "
        "behind."
    ),
)

RECENT_HISTORY: tuple[str, ...] = (
    (
        "For the last year {name} has been working as the {role} for a travelling circus, mostly to stay one town "
        "ahead of {rival}."
    ),
    "{name} recently arrived in {place} with {object}, a forged letter of introduction, and no clear plan.",
    "Until last spring {name} was employed by {faction}, and the parting was not amicable.",
    (
        "{name} has spent the past season looking for {mentor}, who walked out of {place} one morning and left a stew "
        "cooking on the fire."
    ),
    "Lately {name} has been earning a thin living as the {role} aboard a river barge, paid in passage and salt fish.",
    "A rumour that {name} died in {place} has been circulating for months, and {name} has done nothing to correct it.",
    (
        "{name} recently paid off the last of a crippling debt to {faction} and is still getting used to the "
        "unfamiliar lightness."
    ),
    (
        "Three weeks ago, {name} was thrown out of {place} with a warning never to return and a bruise shaped like a "
        "signet ring."
    ),
    (
        "{name} has been sleeping in the bell-tower of a half-ruined temple of {deity}, earning bread by ringing the "
        "hours for a town that no longer listens."
    ),
    "{name} has spent the spring lying low in {place}, which is harder than it sounds for the {concept}.",
    "{name} recently won a small fortune at cards in {place2} and lost most of it the same week buying back {object}.",
    (
        "Since learning last month that {place} has a new resident, {rival}, {name} has been travelling in the "
        "opposite direction."
    ),
    (
        "{name} has been serving as the {role} for a minor noble house in {place}, a post that pays well and involves "
        "very strange questions."
    ),
    (
        "For the past few months {name} has been carrying letters between {place} and {place2} for {faction}, and has "
        "read every single one."
    ),
    (
        "A recent illness left {name} weak for most of the winter, and {name} is determined to prove, loudly and "
        "often, that it is over."
    ),
    (
        "{name} has just come back from a pilgrimage to a shrine of {deity}, which did not go as planned, and will not "
        "discuss it."
    ),
    (
        "Lately {name} has been teaching the children of {place} to read in exchange for meals, the least dangerous "
        "job the {role} has held in years."
    ),
    (
        "{name} was recently acquitted of a crime in {place} on a technicality nobody quite understands, least of all "
        "the {concept}."
    ),
    (
        "For six months {name} worked a salvage boat off {place}, hauling up anchors, coins, and once something that "
        "should not have been able to drown."
    ),
    (
        "{name} has been quietly selling off family heirlooms one by one in {place}, and is down to the last of them: "
        "{object}."
    ),
    (
        "{name} recently agreed to escort a caravan to {place2} for {faction}, and only afterward read the final page "
        "of the contract."
    ),
    (
        "The last year has been good to {name}: steady work as the {role} in {place}, a warm room, and a growing "
        "suspicion that it cannot possibly last."
    ),
    (
        "For months {name} has been tracking {rival}, and has so far arrived exactly one day late in each of three "
        "counties."
    ),
    (
        "{name} is newly and unhappily famous in {place} after a broadsheet printed a wildly exaggerated account of a "
        "recent brawl."
    ),
    "After years of travel, {name} tried to settle in {place} and open a shop; the shop lasted eleven days.",
    "{name} has lately been sending money to {place2} every month, to an address that appears on no map of the town.",
    (
        "A recent commission from {faction} has brought {name} to {place}, along with a purse, a sealed letter, and "
        "instructions to wait."
    ),
    (
        "{name} recently quit a comfortable post as the {role} for a wealthy merchant in {place} after a disagreement "
        "about a locked cellar."
    ),
    (
        "{name} has been living in a rented room above a cooper's shop in {place}, trying to write a memoir that keeps "
        "turning into a confession."
    ),
    (
        "For the past season {name} has been the {role} of a mountain toll-house, where the chief duties are weather, "
        "goats, and bribes."
    ),
    "{name} has been receiving anonymous gifts in {place} for months: flowers, then coins, then, last week, {object}.",
    "{name} spent last winter with {mentor}, who tried all season to talk some sense into the {concept}.",
    (
        "{name} has taken work with {faction} in {place} and, after a month, still cannot say what the job is, which "
        "troubles the {concept} more than it should."
    ),
    (
        "A recent fire at the archives of {place} destroyed the only record of {name}'s birth, and {name} is not sure "
        "whether to mourn or celebrate."
    ),
    "{name} has been nursing a wounded friend in a fishing village near {place} and has only now been able to leave.",
    "{name} recently lost a bet to {rival}, and is now honour-bound to perform one service, not yet named.",
    (
        "The last few months have seen {name} working as a hired mourner in {place}, which pays surprisingly well and "
        "leaves the evenings free."
    ),
    (
        "Hired last month to find a missing cat in {place}, {name} instead found a missing heir, which has proven to "
        "be much more trouble."
    ),
    (
        "{name} has come to {place} following a map drawn on the back of a tavern bill, and so far it has been "
        "accurate to the inch."
    ),
    (
        "{name} recently made a vow before {deity} in {place} and has already broken it twice, each time on a "
        "technicality."
    ),
    (
        "After a long stint as the {role} aboard a merchant ship, {name} has just come ashore at {place} with sea "
        "legs, back pay, and a grievance."
    ),
    (
        "{name} has been wintering in {place} on the charity of {faction}, and the charity is starting to come with "
        "conditions."
    ),
    (
        "{name} was recently released from a debtors' prison in {place} by an unknown benefactor, who left only a "
        "receipt signed with a single initial."
    ),
    (
        "Lately {name} has been earning coin as the {role} at the fairs around {place}, and has become a minor local "
        "legend for all the wrong reasons."
    ),
    (
        "Over the last year {name} has been repaying an old kindness, one small and carefully anonymous favour at a "
        "time, to {mentor}."
    ),
    (
        "For the last month {name} has been hiding {object}, which three different buyers in {place} insist is stolen; "
        "one of them is right."
    ),
    (
        "{name} has started receiving visitors at odd hours, now that rumours about the {concept} have spread as far "
        "as {place2}."
    ),
    (
        "{name} recently took on a dead friend's debts in {place}, a gesture of loyalty that is becoming harder to "
        "afford by the week."
    ),
    (
        "For a season {name} kept the accounts of a failing theatre in {place}, and has the unpaid wages and excellent "
        "stage-fighting to show for it."
    ),
    (
        "{name} was arrested last month in {place} for a crime committed by someone with the same face, and escaped "
        "before the trial."
    ),
    (
        "{name} spent the summer rebuilding a neighbour's house after the flood in {place}, and the work did more for "
        "the {concept} than any temple ever has."
    ),
    (
        "{name} signed on with {faction} last autumn as a guide, and quickly discovered that the {role} is expected to "
        "do a great deal more than guide."
    ),
    (
        "Most recently {name} has been in {place}, selling the same treasure map to every fortune-seeker who walks in, "
        "and feeling only slightly bad about it, which is very like the {concept}."
    ),
    (
        "{name} has lately been corresponding with a stranger in {place2} who signs every letter with a drawing of a "
        "key, and who knows far too much about the {concept}."
    ),
    (
        "{name} has just spent six weeks snowed into a monastery above {place}, and came down with new opinions, new "
        "calluses, and a strong dislike of porridge."
    ),
    (
        "In {place}, {name} recently returned {object}, only to be accused by its rightful owner of stealing it in the "
        "first place."
    ),
    (
        "{name} has been drifting between {place} and {place2} for months, taking any work the {role} can find and "
        "turning down anything that involves {faction}."
    ),
    (
        "The last year has left the {role} with a bad knee, a good reputation in {place}, and an unpaid bill at every "
        "inn between there and {place2}."
    ),
    (
        "{name} recently buried {mentor}, and has not yet decided what to do with the inheritance, which consists "
        "entirely of {object}."
    ),
    (
        "{name} has been working off a fine in {place} by serving as the night watch's unofficial {role}, an "
        "arrangement nobody admits exists."
    ),
    "{name} spent the autumn in {place} trying to decide whether there is any life left beyond the {concept}.",
    (
        "A recent letter from home informed {name} that the family in {place} considers the {concept} a temporary "
        "embarrassment."
    ),
    (
        "{name} recently lost a lawsuit in {place}, and with it the last respectable assets of the {concept}; the "
        "plaintiff was {rival}."
    ),
    (
        "This past year {name} sat for a portrait in {place2}, commissioned by a patron who wanted, specifically, the "
        "{concept}."
    ),
    (
        "{name} was recently offered a pardon by {faction} on condition of giving up everything that makes {them} the "
        "{concept}, and has not yet answered."
    ),
    "The broadsheets of {place} have recently taken an interest in the {concept}, and {name} has begun wearing hats.",
    (
        "{name} spent the summer in {place} as the guest of {mentor}, who kept trying to paint the {concept} and kept "
        "getting the eyes wrong."
    ),
    (
        "{name} has recently been hired as the {role} for a party of nervous pilgrims bound for {place2}, and has "
        "already lost one of them."
    ),
    (
        "{name} came to {place} on foot three days ago, penniless, with the look of the {role} who has just won "
        "something and lost something bigger."
    ),
)

UNRESOLVED_MYSTERIES: tuple[str, ...] = (
    "Nobody knows who pays for the room {name} keeps in {place}, least of all {name}.",
    "{name} carries {object}, and nobody can explain why it grows warm near every temple of {deity}.",
    "{name} has a sister in {place} who swears the two of them have never met.",
    "Who sends {name} a single silver coin on the same day every year, each time from a different town?",
    (
        "Twelve years ago {name} watched the burial of {mentor} in {place}; last spring, that same face passed {name} "
        "in a crowd."
    ),
    "What did {name} sign that night in {place2}, and why does {faction} keep a copy?",
    "The {role} has a recurring dream of a door in {place}, and lately the door has been opening.",
    "Given every chance and every reason, why has {name} never once been attacked by {rival}?",
    "{name} cannot remember a single day of {their} fourteenth year.",
    "Somewhere in {place} there is a grave with {name}'s name on it, and fresh flowers are left there every week.",
    (
        "What is the {role} actually afraid of? Nobody has ever seen {name} flinch, except once, at the sound of a "
        "particular lullaby."
    ),
    "A stranger once pressed {object} into {name}'s hands and said only, 'You will know when.'",
    "Who taught {name} to read the dead script of the old temples of {deity}? {name} has no memory of learning it.",
    "Every map of {place} drawn since {name} left shows one street fewer.",
    (
        "{name} owes {faction} a debt recorded in a ledger that predates {name}'s birth, in handwriting {name} "
        "recognises as {their} own."
    ),
    "The name of the {role}'s first pet is somehow known to {rival}, and nobody can say how.",
    "Animals in {place} will not cross the shadow of {name}, and nobody there will explain why.",
    (
        "What happened to the rest of the crew? {name} came ashore at {place} alone, in a boat built for twenty, and "
        "has never said."
    ),
    (
        "Who is the {kin} in the portrait that hangs in {name}'s family home, wearing {name}'s face and dressed in the "
        "fashion of three centuries ago?"
    ),
    (
        "Someone who will not give a name has offered a fortune for {object}, three times now, always addressed to the "
        "{concept}."
    ),
    "Why can {name} follow the secret rites of {faction} without ever having been taught them?",
    "{name} casts a reflection in still water, but none at all in moving water.",
    "Where did {name} get the scar that {their} family insists was there at birth?",
    "The {role} carries a letter addressed to someone in {place2} and has never delivered it, or explained why.",
    "What lay behind the promise {name} made to {mentor}, never to set foot in {place}?",
    "Three separate fortune-tellers have refused to read for {name}, and the third gave back the coin.",
    (
        "{name} was present when {place} burned, but the official records say {name} was in {place2} that night, under "
        "arrest."
    ),
    "Who is the stranger who keeps paying {name}'s debts, and what will the stranger want in return?",
    "The {concept} is, according to a sealed document held by {faction}, already dead.",
    "{name} sometimes wakes speaking a language that nobody in {place} can identify.",
    "Why did the priests of {deity} in {place} ring the great bell on the day {name} arrived?",
    "A sketch of {name}, drawn at least a hundred years ago, hangs in a tavern in {place2}.",
    "What is behind the locked door in {name}'s childhood home, and why does its key open nothing else?",
    (
        "Years ago, a remark about {name}'s parents came from {rival}, and the {role} has never been able to forget or "
        "disprove it."
    ),
    "Why does {name} refuse to sleep indoors during the first week of every spring?",
    (
        "{name} has a twin who is listed in the records of {place} as having died at birth, and who wrote to {name} "
        "last month."
    ),
    "Who burned the letters {name} kept in a box under the bed, and how did the arsonist get into a locked room?",
    "The {concept} cannot recall the face of {mentor}, only the voice.",
    "Nobody put {object} in {name}'s pack, yet there it is every morning, no matter how often it is thrown away.",
    "Why do members of {faction} salute {name} in the street, and why does none of them remember doing it afterward?",
    "{name} has been told by three different healers that {their} heart beats backward.",
    "What was the {role}'s real name, before the one everybody uses now?",
    "The {role} still owns a house in {place} that {name} has never once entered.",
    "Why is there a bounty on {name} in {place2} for a crime that has not happened yet?",
    "Every year on the same night, the {role} lights a candle for someone whose name is never spoken aloud.",
    "A ballad-seller in {place} has been writing the {concept} into every new song, and the songs keep coming true.",
    "Who erased {name} from the membership rolls of {faction}, and why was it done a full year before {name} joined?",
    "The {concept} has never told anyone what happened during the missing month in {place2}.",
    "Something was buried in the orchard at {place} by {rival}; what was it, and why was {name} made to watch?",
    "Why does the {role} always know, to the hour, when it is going to rain?",
    "A stranger in {place} once addressed {name} as 'Your Grace', then fled before {name} could ask why.",
    "Is the {concept} really the person the family in {place} remembers, or someone who came home wearing that face?",
    "Why does {deity} appear in {name}'s dreams as a tired old traveller asking for directions?",
    "The {role} once spent a full year in {place} and cannot account for a single day of it.",
    "What is written on the back of the portrait {name} refuses to let anyone turn over?",
    "Somewhere there is a twin of {object}, identical in every way, and someone has been using it.",
    (
        "How did {name} survive the fall from the cliffs at {place}, when every bone in {their} body says it should "
        "not have been possible?"
    ),
    "Why did {faction} quietly destroy every record of {name}'s family, and why did it take a whole decade?",
    "Why was the {concept} left out of {their} own father's will, by name and in capital letters?",
    "Someone keeps leaving bread and salt on the doorstep of wherever the {concept} sleeps.",
    "No record exists, anywhere in {place}, of the {concept} before the age of twenty.",
    "Who told {faction} about the {concept}, and what exactly was said?",
    "Three times now, a masked stranger has bought drinks for an entire tavern in the name of the {concept}.",
    "What does {name} not know about the {concept} that is known to {mentor}?",
    "There is a warrant in {place2} for the arrest of the {concept}, signed by a judge who died a century ago.",
    "Why does every stray dog in {place} follow the {concept} home?",
    "A priest of {deity} once looked at the {concept} and wept, and would not say why.",
    "Why does the {role} keep a bed made up for a guest who never arrives?",
    "The {role} flinches at the sound of {their} own name in a stranger's mouth, and has never said why.",
    "A page torn from a book of prophecy names the {role} and {place} in the same sentence.",
    "What did {name} see in a mirror in {place} that made the {role} smash every mirror since?",
    "Who taught the {role} the one trick that no teacher of that craft admits to knowing?",
)

PERSONALITY_TRAITS: tuple[str, ...] = (
    "I count things when I'm nervous: steps, buttons, exits, people who might be lying.",
    "I apologise to furniture I bump into, and I mean it.",
    "I never sit with my back to a door, and I never explain why.",
    "I learn one word of every language I hear and use it at the worst possible moment.",
    "I keep a running tally of everyone who owes me a favour, down to the last borrowed spoon.",
    "I hum hymns while I work, usually to gods I don't worship.",
    "I can fall asleep anywhere within a minute, and frequently do.",
    "I name every animal I meet, including the ones I intend to eat.",
    "I eat the worst part of any meal first so the rest feels like a reward.",
    "I take notes on everyone I meet in a small book and underline the ones I like.",
    "I speak slowly and softly, so people have to lean in to listen.",
    "I tell the truth bluntly and then try to soften it, usually too late.",
    "I always carry something to trade, because you never know.",
    "I talk to the dead out loud; it keeps them from feeling left out.",
    "I laugh at my own jokes before the punchline, which ruins them.",
    "I polish my gear when I'm upset, and my gear is very, very shiny.",
    "I have a proverb for every occasion, and I made up half of them.",
    "I won't leave a room without straightening at least one crooked thing.",
    "I trust anyone who cooks for me, which has caused problems.",
    "I salute anyone in uniform out of old habit, including doormen.",
    "I remember faces perfectly and names not at all.",
    "I pick up a stone from every place I visit, and I can't throw any of them away.",
    "I'm unfailingly polite to my enemies; it unsettles them.",
    'I keep asking "and then what?" until people stop talking to me.',
    "I treat every locked door as a personal insult.",
    "I sing badly, loudly, and only when I'm happy.",
    "I have strong opinions about bread and will share them unprompted.",
    "I can't resist correcting someone's grammar, even in the middle of a fight.",
    "I never take the first offer, for anything, ever.",
    "I keep my money in five different places and can never remember the fifth.",
    "I always volunteer for the night watch; I like the quiet and the stars.",
    "I narrate my own actions under my breath when I concentrate.",
    "I give everyone a nickname and refuse to use their real names.",
    "I hate waste, and I will eat your crusts if you leave them.",
    "I keep every promise to the letter and rarely to the spirit.",
    "I walk a coin across my knuckles whenever I'm thinking.",
    "I bow slightly to the sunrise every morning, and I can't remember who taught me to.",
    "I assume everyone is more competent than I am until proven otherwise, and I'm usually right.",
    "I read everything, including other people's mail if it's left lying about.",
    "I can't keep a secret, but I can keep a grudge for decades.",
    "I rate every inn I stay in out of ten, aloud, to the innkeeper.",
    "I'm terrified of deep water and will not admit it.",
    "I always know where the nearest exit is, and I've usually tested it.",
    "I speak to animals more warmly than to people, and the animals answer better.",
    "I sleep with my boots on.",
    "I make tea in any crisis, and I do mean any crisis.",
    "I keep a list of the best meals of my life and consult it before big decisions.",
    "I whistle when I lie, and I have never once noticed.",
    "I shake hands too firmly and hold on too long.",
    "I can be bribed with sweets, and everyone I travel with knows it.",
    "I flinch at loud noises and then laugh too hard to cover it.",
    "I believe every story I'm told, at least for the first hour.",
    "I quote the sayings of my old teacher, who was frequently wrong.",
    "I collect the last lines of letters and recite them when it gets quiet.",
    "I have a ritual for entering any new town, and it involves a pebble and a bow.",
    "I answer questions with more questions until somebody gets angry.",
    "I never remove my hat indoors, and I have had to fight about it.",
    "I'm happiest with dirt under my fingernails and a problem to solve.",
    "I tip far too much everywhere, because I remember being the one who served.",
    "I hate being thanked and will change the subject violently.",
    "I sketch everyone I meet, and my sketches are unkind but accurate.",
    "I always sit facing the window, in case of weather or assassins.",
    "I measure distances in songs rather than miles.",
    "I pray briefly before every meal to a god I privately doubt.",
    "I keep count of my scars and will tell the story of any of them on request.",
    "I talk to my weapon as if it might answer, and sometimes I wait for it to.",
    "I don't trust anyone who doesn't drink, and I don't drink.",
    "I take everything literally, on purpose, when I'm annoyed.",
    "I give a different name in every new town, just to see if one fits better.",
    "I keep a pressed flower from every place I've loved.",
    "I'm convinced I'm unlucky, so I'm always pleasantly surprised when things go well.",
    "I finish other people's sentences, usually wrongly.",
    "I can't bear to see a stranger eat alone.",
    "I mend other people's clothes without asking, sometimes while the clothes are still being worn.",
    "I have a laugh that carries across a battlefield, and I use it.",
    "I pause for three full seconds before answering anything, and people find it unnerving.",
    "I wear a lucky charm and panic if I can't find it.",
    "I treat every map as a rough suggestion.",
    "I have a soft spot for liars; I used to be a good one.",
    "I tidy up after everyone, including my enemies, including after a fight.",
    "I keep my voice low and my eyes lower, but I'm always listening.",
    "I can't walk past a notice board without reading every notice on it.",
    "I smell everything before I eat it, touch it, or trust it.",
    "I share my food with anyone who asks and a few who don't.",
    "I refuse to ride horses; I walk, and I walk fast.",
    "I use long words I only half understand, with enormous confidence.",
    "I get seasick on boats, in carriages, and occasionally on stairs.",
    "I sign my name with a small drawing of a fish.",
    "I'll argue either side of any question and switch halfway through.",
    "I can't stand silence and will fill it with facts about rope.",
    "I return everything I borrow with a little extra, even arrows.",
    "I keep an exact count of the days since I last lost my temper. The number is small.",
    "I make friends with the guards wherever we go, just in case.",
    "I fold my clothes very precisely, even in a ditch.",
    "I tell stories about my family that contradict each other.",
    "I get lost in thought mid-sentence and come back three topics later.",
    "I find funerals comforting and weddings deeply stressful.",
    "I knock twice on wood after good news, so the luck doesn't hear it.",
    "I address gods, kings, and beggars in exactly the same tone.",
    "I never run, even when I should; running makes people think you did something.",
    "I keep a journal in a cipher of my own invention, and I've forgotten the key.",
    "I carry a spare of everything, in case someone else forgot theirs.",
    "I can't lie to children. I've tried.",
    "I'm suspicious of anything free, including advice and sunsets.",
    "I'm always the first one awake, and I make sure everyone knows it.",
    "I judge everyone entirely by their manners toward whoever is serving the table.",
    "I play dice with strangers to learn about them, and I lose on purpose.",
    "I keep my back straight and my boots clean, whatever the weather.",
)

IDEALS: dict[str, tuple[str, ...]] = {
    "good": (
        "Mercy. Everyone deserves one more chance than they think they deserve.",
        "Shelter. No one should sleep in the rain while I have a roof, even a borrowed one.",
        "Witness. Suffering that nobody sees is suffered twice; I make sure it is seen.",
        "Generosity. What I have is only mine until someone needs it more.",
        "Kindness. Small kindnesses compound like interest, and I mean to make the world rich.",
        "Protection. The weak deserve a wall, and I will be that wall.",
        "Healing. Every wound I close is a small argument against despair.",
        "Honesty. A kind truth told gently is worth more than any comforting lie.",
        "Hospitality. The stranger at the door might be anyone, so I treat every stranger as someone.",
        "Sacrifice. My comfort matters less than a stranger's survival.",
        "Forgiveness. Grudges are heavy; I put mine down so that I can carry other people.",
        "Hope. Somebody has to believe it will get better, and it might as well be me.",
        "Courage. Standing between the bully and the bullied is the whole of my religion.",
        "Charity. I give without keeping a tally, because tallies rot the heart.",
        "Repair. Whatever is broken, a roof or a friendship, I try to leave mended.",
        "Rescue. Nobody gets left behind, not even the ones who would leave me.",
    ),
    "evil": (
        "Power. The world belongs to whoever is willing to take it, and I am willing.",
        "Appetite. I want everything, and wanting is reason enough.",
        "Spite. Those who wronged me will learn what patience is for.",
        "Mastery. People are tools, and I keep my tools sharp.",
        "Dominion. Order is what happens when everyone fears the same person, and that person should be me.",
        "Cruelty. Fear is the only honest form of respect.",
        "Greed. Every coin that passes through my hands should stay there.",
        "Vengeance. Forgiveness is for people who were not wronged as badly as I was.",
        "Ambition. Every rung above me is a neck to step on.",
        "Secrets. What I know about you is worth more than anything you could give me.",
        "Supremacy. Some are born to rule and most are born to be ruled; I know which I am.",
        "Contempt. Most people deserve what happens to them, and some deserve worse.",
        "Corruption. Everyone has a price, and finding it is my favourite game.",
        "Infamy. I will be remembered, and I do not care whether it is with love or with dread.",
        "Ruin. Whatever my enemies built, I will leave as ashes and a story.",
        "Leverage. Every kindness I do is a debt I intend to collect with interest.",
    ),
    "lawful": (
        "Contract. A signed word is sacred even when it is inconvenient, and especially then.",
        "Order. Without rules the strong eat the weak; with them, the weak at least get a hearing.",
        "Duty. I do what I have sworn to do, whether or not anyone is watching.",
        "Precedent. What was decided fairly once should be decided the same way again.",
        "Hierarchy. Every ship needs a captain, and every crew needs to know who it is.",
        "Justice. The guilty must answer, whoever they are and whatever they own.",
        "Accounts. Every debt, good or ill, must be balanced before the book is closed.",
        "Tradition. The old ways survived this long for reasons, even if I cannot name them all.",
        "Loyalty. I keep faith with my oaths and with those who keep faith with me.",
        "Discipline. Freedom is only useful to those who can govern themselves.",
        "Fairness. The same law for the lord and the beggar, or no law at all.",
        "Testimony. The truth must be written down, witnessed, and kept.",
        "Service. A life spent serving something greater than myself is a life well spent.",
        "Honour. My name is worth exactly what my word is worth.",
        "Stewardship. What is entrusted to me must be handed on in better condition.",
        "Procedure. Even good deeds go wrong when they are done in the wrong order.",
    ),
    "chaotic": (
        "Freedom. No chain, however gilded, is worth wearing.",
        "Change. Everything rots if it stays still too long, kingdoms included.",
        "Whim. I go where the wind and my curiosity take me, and both are fickle.",
        "Independence. I answer to my own conscience and to nobody else's rulebook.",
        "Rebellion. Every throne deserves someone throwing rocks at it.",
        "Spontaneity. Plans are just lies we tell the future.",
        "Wildness. Fences are for livestock.",
        "Mischief. A little chaos keeps the powerful honest.",
        "Self-reliance. The only person guaranteed to show up for me is me.",
        "Revolution. The world as it is was built by thieves, and I intend to rebuild it.",
        "Curiosity. Every forbidden door was forbidden by someone with something to hide.",
        "Defiance. Tell me I can't, and I'll show you how.",
        "Passion. I follow my heart, even when it leads me off a cliff.",
        "Luck. Fortune favours those who roll the dice, not those who count them.",
        "Disorder. The best things in my life arrived uninvited and unannounced.",
        "Escape. There is always another road, and I mean to walk all of them.",
    ),
    "neutral": (
        "Balance. Too much of anything, virtue included, tips the world over.",
        "Survival. Ideals are a luxury, and I intend to live long enough to afford some.",
        "Moderation. Every extreme ends with someone getting hurt.",
        "Live and let live. Other people's business is theirs, as long as it stays theirs.",
        "Pragmatism. I do what works, not what sounds good in a song.",
        "Understanding. Knowing why someone did a thing matters more than judging it.",
        "Craft. Doing a thing well is its own kind of morality.",
        "Family. My own people come first; the rest of the world can fend for itself.",
        "Nature. The world turns without our permission, and it is wise to remember it.",
        "Neutrality. I take no side but my own, and I keep my own side small.",
        "Endurance. Everything passes, and I mean to be there when it does.",
        "Equanimity. Good fortune and bad both leave eventually, so I greet them the same way.",
        "Home. All I want is a roof, a hearth, and a door nobody kicks in.",
        "Trade. A fair deal leaves everyone a little better off, and that is enough.",
        "Observation. I watch first, act later, and judge rarely.",
        "Quiet. The world is loud enough without my adding to it.",
    ),
    "any": (
        "Reciprocity. I repay every kindness and every insult in kind.",
        "Aspiration. I will be better next year than I am this year, or die trying.",
        "Memory. I carry the names of the dead so that they are not entirely gone.",
        "Truth. I want to know what really happened, whatever it costs.",
        "Legacy. I want to leave behind something that outlasts me.",
        "Faith. My god has a plan, and I am a small, stubborn part of it.",
        "Beauty. The world is full of ugly things, and I want to make or find the beautiful ones.",
        "Redemption. I have done terrible things, and I mean to balance the scales.",
        "Glory. I want my name sung in halls I will never see.",
        "Discovery. There are places on no map, and I want to stand in every one of them.",
        "Friendship. I would walk into fire for the people beside me.",
        "People. I care about the living in front of me, not the causes behind them.",
        "Wealth. Money is freedom in a form you can count.",
        "Perfection. I want to be the very best at one thing, and to know it.",
        "Homecoming. Everything I do is for the day I can go back.",
        "Competence. The world runs on people who know what they are doing, and I intend to be one of them.",
        "Wonder. I never want to stop being surprised.",
    ),
}

BONDS: tuple[str, ...] = (
    "I owe my life to {mentor}, and I have never managed to repay it.",
    "I will find out who burned {place}, and I will see the guilty answer for it.",
    "Nobody will ever take from me the last thing my family owned: {object}.",
    "I send half of everything I earn to an orphanage in {place}.",
    "My family was ruined carefully and completely, and I will return the favour to {rival}.",
    "I swore an oath to {deity} in the flooded crypt beneath {place}, and I keep it even when it hurts.",
    "I still carry a membership token from {faction}, and I would go back if I were asked.",
    "The people of {place} took me in when no one else would, and I will defend that town with my life.",
    "I am searching for a sibling who was sold to {faction} when we were both children.",
    "I keep {object}; it will matter someday, or so I was told by {mentor}.",
    "Everything I do is meant to earn back the respect of {mentor}.",
    "I promised a dying stranger in {place} that I would deliver a letter, and I still have not found the address.",
    (
        "My first love lives in {place}, married to someone else, and I would still do anything for a single word from "
        "that house."
    ),
    "I am the last keeper of a shrine to {deity}, and I will see it rebuilt.",
    "I stole {object}, and I intend to return it to {faction} as soon as I understand what it is.",
    "I am buying back my family's farm outside {place}, one coin at a time.",
    "I will never again stand and watch while a companion dies.",
    "I have a child in {place} who does not know who I am.",
    "I owe a debt to {rival}, and I hate that I mean to pay it.",
    "My crew was scattered when our ship went down off {place}, and I am gathering them back one by one.",
    (
        "The children of the almshouse in {place} think I am a hero, and I am trying to become one before the truth "
        "reaches them."
    ),
    "I am sworn to {faction}, and that oath is the only one I have never broken.",
    "I keep a list of everyone ever hurt by {rival}, and I am working my way down it, making amends.",
    "I will make sure the world remembers {mentor} properly, and not the way it does now.",
    "I built a boat with my own hands in {place}, and I mean to sail it somewhere nobody has named yet.",
    "I serve {deity} because my god once answered a prayer I was too ashamed to say aloud.",
    "My old company was betrayed at {place}, and I will learn by whom.",
    "I would die for my travelling companions, and I would complain the whole time.",
    "There is a grave in {place} that I visit every year, and I will not miss a single visit.",
    "I carry {object}, to remind me of the worst thing I have ever done.",
    "I am the only one who knows where the money is hidden, and I intend to honour the terms set by {mentor}.",
    "I hold a share in a failing bakery in {place}, and I will keep it afloat if it kills me.",
    "The library in {place} is the closest thing I have to a temple, and I will not let it burn.",
    "A member of {faction} once spared my life, and I have been trying ever since to find out why.",
    "Years ago I made a bargain with {rival}, and it comes due soon.",
    "I am keeping a secret that could bring down {faction}, and I have not decided when to use it.",
    "I took {object} from a grave, and I will put it back.",
    "My family's honour was lost in {place}, and I intend to find it there again.",
    "The fisherfolk of {place} taught me everything that matters, and I send them news and money when I can.",
    "I owe {deity} a life, and I have not yet decided whose.",
    "My best friend died in my place, in {place}, and I am trying to live enough for both of us.",
    "I am loyal to {faction} because its kitchens fed me when I was starving, and I never forget a meal.",
    "I want to make {mentor} proud, and I know I will never be told so.",
    "My home village near {place} has no healer; I will bring one back, or become one.",
    "I am hunting the thing that killed my family on the road to {place}.",
    "I carry {object}, on behalf of someone who asked me to keep it safe and never came back for it.",
    "I will rebuild the bridge at {place} that I was responsible for destroying.",
    "I keep a candle burning for everyone I failed to save, and I will not let it go out.",
    "My word is pledged to {mentor}, and I will keep it even though I have been offered more to break it by {rival}.",
    "I am the heir of a house in {place} that no longer exists, and I intend to see it stand again.",
    "A temple of {deity} raised me, and whatever I become, I will bring it home.",
    "I am looking for the one honest member of {faction}, because I was told there is one.",
    "I have hidden my greatest work in {place}, and no one will see it until it is finished.",
    "I promised my mother I would see the sea at {place}, and I still have not.",
    "I am paying off the debts of a friend who died owing {faction}.",
    "The horse I rode into my first battle is pastured at {place}; I pay for its keep and visit when I can.",
    "Everything I know I learned from {mentor}, and I am determined that it will not die with me.",
    "I want justice for what was done by {rival}, not a grave, and the difference matters to me.",
    "I once vowed before {deity} to protect a child who is now grown, and the vow has not expired.",
    "My old master's workshop in {place} is boarded up, and one day I will open it again.",
    "I am bound to {object}, in a way I cannot explain, and I cannot bear to be parted from it.",
    "I have friends in every port between here and {place}, and I would sail through a storm for any of them.",
    "I owe a life-debt to a stranger whose face I never saw, and I will know that voice when I hear it again.",
    "I want to finish the map begun by {mentor}, and I know exactly how far it still has to go.",
    "I fight for {faction} because it once fought for me.",
    "My family's name was struck from the records of {place}, and I intend to write it back in.",
    "My sister is a prisoner of {faction}, and every step I take is a step toward her.",
    "I carry the ashes of my oldest friend, looking for somewhere worthy of them.",
    "I will keep the shrine of {deity} in {place} lit, whatever it costs me.",
    "One day I will beat {rival}, fairly and in front of witnesses, and then I will let it go.",
    "I raised a litter of hounds in {place}, and I keep track of every one of them by letter.",
    "The ferry-folk of {place} hid me from {faction} once, and I will always hide them in return.",
    "The only thing I have from my parents is {object}, and I will learn its story.",
    "I have sworn to visit every shrine of {deity} in the known world, and I am barely a third of the way through.",
    "I am godparent to the child of an enemy, and I take the duty seriously.",
    "My teacher's last words were a question, and I mean to find the answer.",
    "I owe the people of {place} for a harvest I burned, and I pay them back every year.",
    "At every table I sit at, I keep a seat for {mentor}, and one day I expect it to be filled.",
    "I am the keeper of my village's stories, and I will not let a single one be forgotten.",
    "I would do anything to earn a place in {faction}, except the one thing its leaders demanded of me.",
    "I lost a bet to {rival}, and the stake was my family's name; I mean to win it back.",
    "I am trying to make amends to {deity} for a blasphemy I committed drunk, in public, in {place}.",
    "A dog I rescued in {place} has followed me ever since, and anyone who harms it answers to me.",
    "Every month I write to {mentor}, even though every letter comes back unopened.",
)

FLAWS: tuple[str, ...] = (
    "I can't walk past a game of chance without putting down a coin, and then the rest of them.",
    "I lie about small things for no reason, and I've lost track of which ones.",
    "I'll trust anyone who compliments my cooking.",
    "I hold a grudge long after I've forgotten the reason for it.",
    "I pocket small shiny things without meaning to and feel terrible afterward.",
    "I make jokes when I'm frightened, and the jokes get crueller.",
    "I'd rather die than admit I'm lost.",
    "I drink to forget one particular night, and it has never once worked.",
    "I assume anyone with money is a thief.",
    "I panic in small spaces and will do almost anything to get out.",
    "I can't leave an insult unanswered, however large the person who made it.",
    "I fall in love quickly and badly, usually with the wrong person.",
    "I believe I'm the cleverest person in any room, and I make sure the room knows it.",
    "I keep secrets from my friends out of habit, even harmless ones.",
    "I'm a coward about difficult conversations and brave about everything else.",
    "I spend money the moment I have it.",
    "I can't say no to a child, a beggar, or anyone with a sad enough story.",
    "I obey anyone who sounds sufficiently in charge.",
    "I'm convinced the gods are watching me personally and are mostly disappointed.",
    "I sulk magnificently, and for days.",
    "I take credit that isn't mine and then feel guilty about it in private.",
    "I can't resist reading letters that aren't addressed to me.",
    "I distrust magic and everyone who uses it, even when it saves my life.",
    "I'm a terrible loser and an even worse winner.",
    "I leave before anyone can ask me to stay.",
    "I eat when I'm anxious, and I'm always anxious.",
    "I sneer at people who work with their hands, and I'm ashamed of where I learned to.",
    "I can't bear to see anything go to waste, including bad ideas.",
    "I freeze when someone shouts at me, and it takes me a long moment to come back.",
    "I'll abandon any plan the moment something more interesting comes along.",
    "I make promises I know I can't keep, because I like the way people look at me when I make them.",
    "I refuse help, even when I'm bleeding.",
    "I get along far better with animals than with my companions, and I let it show.",
    "I'm desperate to be liked by people who will never like me.",
    "I have a temper that arrives all at once and leaves a mess behind it.",
    "I'm convinced someone is following me, and I act on it.",
    "I can't stop correcting people, even my superiors, even in public.",
    "I'll betray any confidence in exchange for the right kind of gossip.",
    "I gamble with things that aren't mine.",
    "I treat every stranger as a threat until proven otherwise, and proof takes a long time.",
    "I never back down from a dare, no matter how stupid.",
    "I'm a snob about food, wine, and the proper way to hold a knife.",
    "I blame myself for everything, out loud and at length.",
    "I lie to spare people's feelings and then get caught in the lies.",
    "I'm deeply superstitious and will delay anything for a bad omen.",
    "I'm so greedy for knowledge that I'll take foolish risks for a single answer.",
    "I hoard food, even when there is plenty.",
    "I can't keep quiet in a temple, a library, or an ambush.",
    "I despise authority so much that I'll disobey a good order just to prove a point.",
    "I assume the worst about everyone's motives, especially the kind ones.",
    "I've never finished anything I started, and I'm afraid to try.",
    "I'll do anything for a wealthy patron, including things I will regret.",
    "I'm vain about my appearance and spend far too long on it before any fight.",
    "I talk too much when I'm nervous, and I'm nervous whenever I know a secret.",
    "I keep count of every slight, and I bring out the list at the worst possible times.",
    "I'm haunted by a mistake I made in battle, and I freeze whenever I smell smoke.",
    "I can't resist a locked box.",
    "I take needless risks to impress people I have only just met.",
    "I mock whatever I don't understand.",
    "I'm jealous of anyone who gets the attention I think I've earned.",
    "I pick fights with people bigger than me, on principle.",
    "I trust written documents completely, even obvious forgeries.",
    "I'm so afraid of being poor again that I can't spend a copper without agony.",
    "I'll lie under oath if I think the cause is good enough.",
    "I run from commitment, whether to a person, a place, or a plan.",
    "I'm certain my family is secretly noble, and I behave as though everyone should know it.",
    "I'm hooked on a certain sweet-smelling smoke that I pretend I can give up anytime.",
    "I take orders from nobody, including the people who are paying me.",
    "I'm quick to judge and slow to forgive, and I call it integrity.",
    "I'd sell out a stranger to save a friend without a moment's thought.",
    "I can't tell when I'm being made fun of, and I tend to find out late.",
    "I'm frightened of the dark and pretend it's caution.",
    "I give away other people's belongings in fits of generosity.",
    "I'm a hypocrite about honesty, and I know it.",
    "I'd rather be feared than ignored.",
    "I get bored in peacetime and start trouble to stay awake.",
    "I'm certain I'm destined for greatness, and I sulk because it hasn't arrived.",
    "I can't resist a chance to show off, especially when it's dangerous.",
    "I fall asleep on watch more often than I admit.",
    "I can't stand being in debt, and I'll make terrible decisions to clear one.",
    "I break things when I'm angry, usually things I need.",
    "I answer every question with a lie first, and with the truth only if I'm asked twice.",
    "I drink too much at funerals, and I go to a lot of funerals.",
    "I always choose the clever plan over the safe one, even when the safe one is obviously better.",
    "I believe, deep down, that rules are for other people.",
)

HOOKS: tuple[str, ...] = (
    "A courier arrives with a letter for {name} from {mentor}, dated next week.",
    (
        "Word arrives that the town council of {place} has a new member, {rival}, and {name} has been invited to the "
        "celebration."
    ),
    (
        "In the markets of {place}, someone is selling forgeries of {object}, and the forgeries are better than the "
        "original."
    ),
    "A notice posted by {faction} puts a price on {name}'s head, and the price is insultingly low.",
    "A child in {place} claims to be {name}'s offspring and has paperwork that appears to prove it.",
    (
        "The shrine where {name} grew up has been sold to {faction}, and the new owners plan to turn it into a "
        "counting-house."
    ),
    "{name} is invited to the funeral of {rival}, who appears to be alive and delivering the invitations personally.",
    "A stranger in {place} offers {name} a fortune to steal back {object}, which {name} has been carrying all along.",
    (
        "Every bell in {place} rang at midnight last night, and the sexton swears {name}'s name could be heard in the "
        "peal."
    ),
    "Rumour from {place2} says that someone there has seen {mentor}, alive, which should be impossible.",
    "A ship drifts into {place} with no crew aboard and a logbook whose last entry is {name}'s name.",
    "Agents of {faction} want to hire {name} for one night's work, and the pay is three times too high.",
    "Hidden inside {object} is a map, and the map has started to change, its new lines leading toward {place}.",
    "A debt {name} had forgotten about has been sold to {rival}, who intends to collect in services rather than coin.",
    "{name} wakes in {place} wearing a stranger's signet ring, with no memory of the previous three days.",
    "An old friend from {place} arrives asking {name} to testify at a trial that could hang either of them.",
    (
        "A wandering preacher in {place2} is telling a story about {name} that is almost entirely true and extremely "
        "dangerous."
    ),
    "The debtors' prison of {place} has locked up {mentor}, and only {name} can disprove the charge.",
    "A scholar from {faction} comes to {name} with a theory: that the key to a vault beneath {place} is {object}.",
    "{name}'s old company is re-forming in {place}, and someone has already signed {name}'s name to the muster roll.",
    (
        "A bounty hunter arrives in {place} looking for someone with {name}'s exact description and a completely "
        "different name."
    ),
    "Someone is leaving bodies around {place}, each posed to point toward wherever {name} is staying.",
    (
        "A famous painter wants {name} to sit for a portrait of a saint, will pay handsomely, and will not say which "
        "saint."
    ),
    "After years of silence, a letter arrives asking {name} for help; it is from {rival}, and it seems sincere.",
    "The fishing fleet of {place} has not come home, and the only survivor keeps asking for {name}.",
    "A distant relative has died in {place2} and left {name} a house, a debt, and a very large dog.",
    (
        "The shrine of a forgotten saint in {place} has begun to weep ink, and the stains spell out part of {name}'s "
        "history."
    ),
    "The final lot at an auction in {place} is {object}, and one bid has already been placed, by {rival}.",
    "A pamphlet printed by {faction} declares {name} either a saint or a traitor; the wording is unclear.",
    "The stars over {place} are wrong tonight, and only {name} seems to notice.",
    (
        "A caravan master in {place} offers free passage to {place2} in exchange for one small favour, to be named on "
        "arrival."
    ),
    (
        "{name} is recognised in {place} as the heir to a minor title, and the previous heir is very much alive and "
        "very upset."
    ),
    "A message scratched into a cell wall in {place} names {name} as the only person who can be trusted.",
    "Children in {place} have started singing a skipping rhyme about {name} that nobody admits to teaching them.",
    "The old mine above {place} has reopened, and the miners keep bringing up tools stamped with {name}'s family mark.",
    "A letter arrives from {mentor}, begging {name} to destroy {object} at once, without reading the inscription.",
    (
        "A town guard in {place} offers to tear up an old warrant for {name} in exchange for help with a very strange "
        "murder."
    ),
    (
        "A formal challenge arrives for {name}, naming dawn, the old bridge at {place}, and a deeply unsettling choice "
        "of weapons; it is signed by {rival}."
    ),
    "Someone in {place} has been buying up every copy of a book about {name}'s home town and burning them one by one.",
    "The river at {place} has run red for three days, and the ferry-folk say it started the day {name} arrived.",
    "A guild master of {faction} offers {name} a membership ring, and its previous owner is missing a finger.",
    "An innkeeper in {place} is holding {name}'s belongings against a bill that {name} swears belongs to someone else.",
    "A ghost in the old customs house at {place} will speak only to {name}.",
    "Next week {place} will host the wedding of {rival}, and {name} has been asked to give the toast.",
    "A knock in the night brings a stranger holding {object}, begging {name} for sanctuary from {faction}.",
    "{name} is offered a pardon for every past crime on condition of stealing one thing from {place2}.",
    "A long-lost sibling has turned up in {place} wearing {name}'s face and using {name}'s name.",
    "The people of {place} have elected {name} to an office nobody wanted, and the previous holder has vanished.",
    "A doctor in {place} insists {name} carries a rare sickness, and the only cure lies in {place2}.",
    "A puppet show in {place} is telling the story of {name}'s worst mistake, and drawing enormous crowds.",
    "Someone has been using {name}'s name to borrow money all over {place}, and the lenders have come to collect.",
    "A pilgrim dies at {name}'s feet, clutching {object}, and the last words are a set of directions to {place}.",
    (
        "The keeper of the lighthouse at {place} writes to say the lamp has been flashing {name}'s name in code for a "
        "week."
    ),
    "The leaders of {faction} summon {name} to a hearing on charges nobody will specify.",
    "{name} is sought out by a stranger who wants to settle accounts with anyone at all connected to {mentor}.",
    "A flood has uncovered a tomb outside {place}, and the effigy on the lid is unmistakably {name}.",
    "A merchant in {place} offers {name} an entirely serious trade: {object}, in exchange for a single memory.",
    (
        "A quiet village near {place} has been paying tribute to a monster for years, and the monster is someone "
        "{name} once knew."
    ),
    "{name} finds a wanted poster in {place} for {rival}, offering a reward big enough to change a life.",
    (
        "A travelling circus arrives in {place} advertising an act called 'The Remarkable {name}', and {name} is not "
        "in it."
    ),
    "A bell-founder in {place} has cast a bell that rings by itself whenever {name} tells a lie.",
    "Agents of {faction} have quietly begun buying up every debt {name} has ever owed.",
    "A smuggler offers {name} a share in a cargo bound for {place2}, and the cargo is breathing.",
    "An archivist in {place} has found {name}'s name in a census taken two hundred years ago.",
    (
        "A storm strands {name} at a remote inn near {place} with six strangers who are all lying about something, and "
        "with {rival}."
    ),
    "A grieving family in {place} begs {name} to learn who really killed their daughter.",
    "The last surviving member of {name}'s old crew sends word from {place}: 'It has been found.'",
    "A temple in {place} is selling a relic that {name} knows for certain is a fake, because {name} made it.",
    "A notorious highwayman near {place} has started leaving {name}'s calling card at every robbery.",
    "An elderly stranger in {place} insists on repaying {name} for a kindness {name} has no memory of doing.",
    "A dying noble in {place2} wants {name} to carry a confession to {faction}, and refuses to say what it confesses.",
    (
        "A sealed tower outside {place} has opened its door for the first time in a century, and the note pinned to it "
        "is addressed to {name}."
    ),
    "A ransom note asks {name} for nothing but an apology, in exchange for the safe return of {object}.",
    (
        "A drought in {place} has uncovered a drowned village, and {name}'s childhood home is standing in the middle "
        "of it."
    ),
    "A broadsheet in {place} has printed {name}'s obituary, complete with an unsettlingly plausible cause of death.",
    "An apprentice arrives in {place} with a package, a warning, and a week to live, sent by {mentor}.",
    "A tax collector from {faction} arrives demanding back taxes on a title {name} did not know existed.",
    "A stranger in {place} challenges {name} to a game of cards; the stake is {object}.",
    (
        "The lake at {place} has frozen around a ship that was not there yesterday, and its figurehead bears {name}'s "
        "likeness."
    ),
    (
        "A child's drawing found in {place} shows {name}, {rival}, and a third figure nobody can identify, standing "
        "before a burning tower."
    ),
    (
        "A herald of {faction} announces that {name} has been chosen by lot for a duty nobody will describe until it "
        "is accepted."
    ),
    (
        "A gardener in {place} has grown a rose that blooms only when {name} is near, and a collector from {place2} "
        "wants it badly."
    ),
    "A priest in {place} asks {name} to help move a saint's bones before {faction} can seize them.",
    "A riverboat at {place} is selling passage to a town that burned to the ground forty years ago.",
)

APPEARANCE: dict[str, tuple[str, ...]] = {
    "build": (
        "is wiry and all elbows",
        "is broad across the shoulders and moves like a cart horse, slow and unstoppable",
        "is small and compact, built for getting through gaps",
        "is tall and stooped, as if apologising to every doorframe",
        "has the thick forearms of someone who has hauled rope for years",
        "is lean to the point of looking underfed",
        "is heavyset and surprisingly light on the feet",
        "carries a little extra weight with great dignity",
        "is long-legged and restless, always shifting",
        "has a barrel chest and almost no neck to speak of",
        "is narrow-shouldered but stands very straight",
        "is compact and muscled like a dockhand",
        "looks soft in a way that has misled several people, fatally",
        "is gangly, as if grown too fast and never quite caught up",
        "has the upright bearing of a former soldier",
        "is built low to the ground and hard to knock over",
        "is willowy and quick",
        "has a swimmer's long shoulders and narrow waist",
        "is sturdy and square, like a well-made sea chest",
        "moves with the careful economy of someone who has once been badly hurt",
        "is thin as a rake and just as hard to break",
        "is muscled unevenly, one arm noticeably stronger than the other",
        "has a slight stoop from years bent over a workbench",
        "is rangy and weathered like an old fence post",
        "is short, round, and alarmingly fast",
        "has powerful legs and a stride that eats up the road",
        "is of such average height and build that it is useful, and perhaps deliberate",
        "is broad-hipped and solid, planted like a tree",
        "looks fragile and is not",
        "has a dancer's posture and a brawler's knuckles",
        "is bony and angular, all corners and joints",
        "is big enough to make doorways look nervous",
    ),
    "face": (
        "has a long face that rarely settles into a smile",
        "has a round, open face that strangers trust immediately",
        "has a sharp, hawkish profile",
        "has a face that is all cheekbones and suspicion",
        "has a crooked nose, broken at least twice",
        "has a wide mouth made for laughing and cursing",
        "has a heavy brow that makes every expression look like a frown",
        "has a gentle, forgettable face that serves well in crowds",
        "has a strong jaw and a surprisingly shy smile",
        "has deep laugh-lines that do not match the rest of the expression",
        "has a face that looks years younger than it should",
        "has a face weathered to the colour and texture of saddle leather",
        "has a small, neat face with one eyebrow permanently raised",
        "has a pointed chin and a mouth that twitches when amused",
        "has a pleasant face ruined, or improved, by a split lip that healed badly",
        "has a face like a closed door",
        "has fine, delicate features that are hard to read",
        "has a blunt, square face and a flattened nose",
        "has a face that flushes easily, betraying every feeling",
        "has high, sharp cheekbones and hollow cheeks",
        "has a wry half-smile that never fully commits",
        "has a face of heavy planes and shadows, like a carving left unfinished",
        "has a lopsided grin with a gap where a tooth used to be",
        "has a tired face that brightens suddenly at anything interesting",
        "has a face dusted with freckles or fine flecks of darker colour",
        "has a severe face softened only by the mouth",
        "has a face that seems to be listening even when the rest is not",
        "has a long upper lip and a stern, clerkish expression",
        "has a face that is almost handsome, and knows it",
        "has a broad, kindly face made for delivering bad news gently",
        "has a thin-lipped face that gives nothing away at cards",
        "has a face that changes completely when speaking",
    ),
    "hair": (
        "keeps iron-grey hair in a single tight braid",
        "has a wild mane that defeats every comb",
        "keeps a shaved head that gleams in good light",
        "has close-cropped hair with a streak of white above one temple",
        "wears long hair tied back with a strip of leather",
        "has thinning hair combed with great optimism",
        "has curls cropped short to keep them out of trouble",
        "keeps the head covered with a faded knitted cap in every weather",
        "has hair the colour of wet straw, cut with a knife",
        "wears several thin braids threaded with copper rings",
        "has glossy black hair that falls across one eye",
        "has hair bleached in stripes by sun and salt",
        "wears a topknot bound with red cord",
        "keeps the scalp bare and oiled, with a small tattoo at the crown",
        "has hair that was clearly dyed some time ago and is growing out",
        "has a thick fringe that hides the brows",
        "has silvering hair that looks older than the face beneath it",
        "wears hair in a short, practical bob",
        "has a tangle of auburn hair that collects twigs by the end of any day",
        "keeps hair hidden under a wrapped scarf of deep green",
        "keeps the head shaved except for a single long lock at the back",
        "has a bristling beard and not a hair on top",
        "has a short beard kept neat with the edge of a dagger",
        "has fine, pale hair that lifts at the slightest breeze",
        "has dense, springy hair worn loose and proud",
        "has hair pulled back so tightly that it seems to tighten the whole face",
        "has hair the colour of rust, with eyebrows to match",
        "has a widow's peak and hair slicked back with something fragrant",
        "keeps hair in a long plait looped twice around the neck",
        "has hair chopped unevenly, as if in a hurry or in grief",
        "wears a battered hood up at all times, so few have seen what is beneath",
        "has a crest of hair stiffened with lime into spikes",
    ),
    "eyes": (
        "has pale grey eyes that seem to be measuring everything",
        "has dark, heavy-lidded eyes that look sleepy and miss nothing",
        "has one brown eye and one green",
        "has bright, restless eyes that never settle for long",
        "has eyes the colour of strong tea",
        "has deep-set eyes shadowed by a heavy brow",
        "squints constantly, as if reading small print at a distance",
        "has startlingly blue eyes that make people uncomfortable",
        "has gold-flecked eyes that catch the firelight",
        "has kind eyes surrounded by deep creases",
        "has watery eyes that give an impression of constant emotion",
        "has one eye clouded milky-white",
        "has very large eyes that rarely blink",
        "has eyes the colour of pond water in autumn",
        "wears spectacles mended with wire",
        "has black eyes that reflect candlelight like coins",
        "has narrow, amused eyes",
        "has hazel eyes that seem to change colour with the weather",
        "has the steady, unblinking gaze of a hunter",
        "has red-rimmed eyes, as if from smoke or sleeplessness",
        "has eyes that drift slightly apart when tired",
        "has green eyes bright as bottle glass",
        "has eyes that crinkle shut entirely when laughing",
        "looks people in the eye slightly too long",
        "never quite meets anyone's gaze",
        "has pale amber eyes with a thin dark ring around each iris",
        "has dark-ringed eyes that look permanently bruised",
        "has a wandering gaze that snaps back suddenly and sharply",
        "has eyes of so dark a brown that the pupils disappear",
        "has one drooping eyelid that lends a look of permanent scepticism",
        "has clear, cold eyes like winter water",
        "has violet eyes that most people assume are a trick of the light",
    ),
    "marks": (
        "has a burn scar shaped like a crescent on the left wrist",
        "has a badly done tattoo of an anchor on the back of one hand",
        "has three parallel scars across one forearm, from something with claws",
        "is missing the tip of the left little finger",
        "has a notched ear from an old fight",
        "has a line of script in an unknown language tattooed around one ankle",
        "has ink stains that never quite wash out of the fingertips",
        "has a pale seam of scar running from jaw to collarbone",
        "has a birthmark shaped roughly like a running dog",
        "has calluses on both palms thick enough to strike a match on",
        "has a small blue star tattooed beneath one eye",
        "has a brand on one shoulder, usually hidden and never discussed",
        "has long-healed rope burns across both palms",
        "has a row of small ritual scars along the collarbone",
        "has a front tooth replaced with one of silver",
        "has forearms flecked with tiny burn marks from forge sparks",
        "has a puckered arrow scar on one thigh, visible when wading",
        "walks with a slight limp that worsens in cold weather",
        "has knuckles scarred white from old fights",
        "wears a tiny bone ring through one eyebrow",
        "has a tattoo of a key over the heart",
        "has dozens of tiny nicks on both hands from years of knife-work",
        "has a faded prison number inked on the inside of one wrist",
        "has fingers stained faintly green from some long-ago work with dyes",
        "has a jagged scar through one eyebrow",
        "has a crooked finger that healed wrong",
        "has the healed mark of a bite, of no obvious animal, on one forearm",
        "has frostbite scars along the edges of both ears",
        "has a tattooed name crossed out, with a different name inked beneath it",
        "has black powder burns speckling one cheek",
        "has a long scar down the back that only bathhouse attendants have seen",
        "has a torn earlobe where an earring was once ripped out",
    ),
    "clothing": (
        "wears a patched oilskin coat a size too large",
        "wears a scholar's robe cut short for walking",
        "wears fine clothes gone shabby at every seam",
        "dresses entirely in shades of brown, by design",
        "wears a soldier's greatcoat with the insignia carefully unpicked",
        "wears a scarf knitted in seven clashing colours",
        "wears heavy boots resoled so many times they are mostly patches",
        "wears a waistcoat with more pockets than seems reasonable",
        "dresses like a prosperous merchant, right down to the rings",
        "wears a travelling cloak dyed a deep, stubborn red",
        "wears clothes that are clean, plain, and mended with great care",
        "wears a leather apron even when not working",
        "wears a mismatched pair of gloves",
        "wears a wide-brimmed hat with a heron feather in the band",
        "wears a fisherman's knitted jumper that smells faintly of tar",
        "wears a borrowed priest's cassock that fits nowhere",
        "dresses in black from collar to boots, buttons included",
        "wears an embroidered jacket from some distant festival",
        "wears a sash of faded silk knotted at the hip",
        "wears a cloak lined with dozens of sewn-in pockets",
        "wears clothes cut and stitched from old sailcloth",
        "wears a hooded coat of undyed wool, grey as a rainy day",
        "wears a gaudy brocade coat rescued from a bankrupt theatre",
        "wears a battered leather jerkin with one button missing",
        "wears a workman's smock and trousers, both stained with paint",
        "wears a necklace of small bells that chime with every step",
        "wears boots much finer than the rest of the outfit, almost certainly stolen",
        "wears a collar of fox fur that has seen better winters",
        "wears a quilted gambeson as everyday clothing",
        "wears a long coat with frayed cuffs and a single brass button",
        "wears a bright yellow scarf that makes hiding impossible",
        "wears simple pilgrim's robes pinned with the badges of a dozen shrines",
    ),
    "manner": (
        "taps two fingers on any table before speaking",
        "speaks in short sentences and long silences",
        "laughs loudly and at unexpected moments",
        "stands too close when talking",
        "always seems to be in the middle of a thought",
        "hums tunelessly when concentrating",
        "keeps both hands visible at all times",
        "walks as if late for something important",
        "listens with head tilted, like a bird",
        "bows slightly to everyone, including servants and dogs",
        "chews on a sprig of something green",
        "speaks with a soft lilt from somewhere far away",
        "moves with great care, as if everything might break",
        "gestures wildly while talking and has knocked over many cups",
        "watches doors more than faces",
        "keeps up a steady patter of complaints that nobody takes seriously",
        "goes very still when angry",
        "picks at loose threads until they unravel",
        "stares into the middle distance when lying",
        "sits on the floor by preference",
        "rubs a thumb over a worn coin while thinking",
        "smiles with the mouth but rarely with the eyes",
        "whistles birdcalls, some of them accurately",
        "carries a pipe and never lights it",
        "shifts weight constantly from foot to foot",
        "greets everyone by name after hearing it once",
        "cracks knuckles before any difficult task",
        "speaks formally, as if addressing a court",
        "scribbles notes on scraps of paper and then loses them",
        "touches every doorframe on the way through",
        "leans against walls as though holding them up",
        "falls silent mid-sentence and picks up again minutes later",
    ),
}
