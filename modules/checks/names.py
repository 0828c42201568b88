"""First names and family names, for finding personal names in text.

The lists come from Faker's person providers (a maintained package that ships curated name lists
per locale), for the languages most spoken in the UK's communities: English (UK, Irish, US, New
Zealand, Indian, Pakistani, Nigerian and Kenyan English), Irish, European languages, and West
and East African ones. Only names written in Latin letters are kept, since that is how case
notes write them. Together about 9,200 first names and 15,100 family names,
loaded in about 0.17 s and 11 MB once per process (benchmarks/checks.py).

names-dataset (730,000 first names and 980,000 surnames from a social-network leak) was measured
and rejected: 21 s and 1.9 GB to load, and it counts "The", "Child", "School" and "Street" as names.
nameparser's title list was rejected too: it lacks PC, DC, DS, PCSO and Insp, and counts job
words such as "manager" and "officer" as titles; the UK titles below are short enough to keep here.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache

# Faker locales whose name lists are used (see the module docstring).
LOCALES = (
    "en_GB", "en_IE", "ga_IE", "en_US", "en_NZ", "en_IN", "en_PK", "en_NG", "en_KE",
    "pl_PL", "ro_RO", "lt_LT", "lv_LV", "sk_SK", "cs_CZ", "hu_HU", "it_IT", "pt_PT", "pt_BR",
    "es_ES", "fr_FR", "de_DE", "nl_NL", "tr_TR", "yo_NG", "ha_NG", "ig_NG", "tw_GH", "sw", "zu_ZA",
)
_LATIN_NAME = re.compile(r"^[A-Z][a-zà-öø-ÿāăąćčďēėęěğīįıķļłńňņōőœřśşšţťūůűųźżž'’-]+$")

# Titles and ranks written before a name in UK records (police ranks as their abbreviations).
TITLES = frozenset({
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Lord", "Lady",
    "Rev", "Revd", "Reverend", "Fr", "Father", "Sister", "Brother", "Imam", "Rabbi", "Pastor",
    "Cllr", "Councillor", "PC", "DC", "DS", "DI", "DCI", "DSI", "DSU", "PCSO", "Sgt", "Sergeant",
    "Insp", "Inspector", "Det", "Detective", "Constable", "Supt", "Superintendent", "Nurse",
    "Officer", "Judge", "Coach",
})
# Relatives written before a first name ("Aunt Sharon", "her nan Maureen").
RELATIONS = frozenset({
    "aunt", "auntie", "aunty", "uncle", "nan", "nana", "nanna", "nanny", "gran", "granny",
    "grandma", "grandad", "granddad", "grandpa", "grandmother", "grandfather", "cousin",
    "stepdad", "stepmum", "step-dad", "step-mum", "godmother", "godfather",
})
# Capitalised words that are first names in the lists but are more often ordinary words. At the
# start of a sentence, where every word has a capital, the first group is never taken for a name
# ("Will she...", "Hope is...") and the second only when a name's context follows ("Jade said",
# "Amber, 14,", "Jordan's mum"); in the middle of a sentence both are names ("with Jade").
NEVER_AT_START = frozenset({
    "will", "may", "can", "mark", "bill", "hope", "grace", "faith", "joy", "miles", "frank", "pat",
    "sue", "chase", "cash", "star", "summer", "autumn", "winter", "sunny", "rich", "guy", "art",
    "page", "justice", "major", "king", "prince", "earl", "duke", "baron", "royal", "noble",
    "sunday", "monday", "christian", "case", "child", "children", "police", "staff", "school",
    "college", "north", "south", "west", "east", "young", "white", "black", "brown", "green",
    "long", "short", "little", "hall", "wood", "hill", "park", "field", "street", "lane", "english",
    "welsh", "french", "scott", "unity", "liberty", "patience", "prudence", "mercy", "honor",
    "honour", "trinity", "victoria", "florence", "chelsea", "paris", "sydney", "devon", "kent",
    "lincoln", "dawn", "drew", "don", "rod", "ray", "gene", "sterling", "storm", "rain", "river",
    "ocean", "sky", "brook", "hunter", "mason", "cooper", "taylor", "parker", "carter", "harper",
    "archer", "bailey", "angel", "precious", "destiny", "crystal", "misty", "honey", "ginger",
})
CUE_AT_START = frozenset({
    "jade", "amber", "ruby", "holly", "ivy", "lily", "daisy", "poppy", "rose", "iris", "penny",
    "carol", "jean", "robin", "wren", "jay", "dean", "sandy", "rusty", "jordan", "ash", "blake",
    "bob", "jack", "jimmy", "nick", "harry", "rowan", "aspen",
})
MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
})


@dataclass(frozen=True)
class NameLists:
    first: frozenset
    last: frozenset


@lru_cache(maxsize=1)
def name_lists() -> NameLists:
    """The first and family names (loaded once per process)."""
    first: set[str] = set()
    last: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in dir(provider):
            if attr.startswith("_") or not ("first_name" in attr or "last_name" in attr):
                continue
            value = getattr(provider, attr)
            if not isinstance(value, (tuple, list, dict)):
                continue
            names = value.keys() if isinstance(value, dict) else value
            target = first if "first_name" in attr else last
            target.update(n for n in names if isinstance(n, str) and _LATIN_NAME.match(n))
    first -= {m.capitalize() for m in MONTHS}
    return NameLists(frozenset(first), frozenset(last))


