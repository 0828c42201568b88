"""The Northshire demo partnership: fictional agencies, teams and staff."""
from __future__ import annotations

from modules.accounts.models import AgencyKind, Role

DEMO_PASSWORD = "sightline-demo"

# (agency name, kind, teams)
AGENCIES = [
    ("Northshire Police", AgencyKind.police, ["Child Exploitation Team", "Neighbourhood Policing", "Missing Persons Unit"]),
    ("Northshire County Council Children's Services", AgencyKind.social_care, ["Front Door (MASH)", "Children in Care", "Exploitation Hub"]),
    ("Northshire NHS Foundation Trust", AgencyKind.health, ["Emergency Department", "Sexual Health Service", "School Nursing"]),
    ("Northshire Schools Partnership", AgencyKind.education, ["Secondary Schools", "Primary Schools", "Alternative Provision"]),
    ("Northshire Council Licensing", AgencyKind.licensing, ["Taxi and Private Hire", "Premises Licensing"]),
    ("Northshire Homes", AgencyKind.housing, ["Tenancy Support", "Homelessness Prevention"]),
    ("Northshire Youth Alliance", AgencyKind.youth_voluntary, ["Detached Youth Work", "Young Carers"]),
    ("Northshire Fire and Rescue", AgencyKind.other, ["Community Safety"]),
]

# The demo accounts in README.md. (email, name, agency index, team, job title, level, roles)
# Two managers of different agencies, so anyone can see that a manager sees only their own.
DEMO_ACCOUNTS = [
    ("learner@example.org", "Sam Okafor", 5, "Tenancy Support", "Tenancy support officer", 1, {Role.learner}),
    ("trainer@example.org", "Priya Shah", 1, "Exploitation Hub", "Safeguarding trainer", 3, {Role.learner, Role.trainer}),
    ("manager@example.org", "Chris Walsh", 0, "Child Exploitation Team", "Detective Inspector", 2, {Role.learner, Role.manager}),
    ("manager2@example.org", "Nadia Hussain", 2, "Emergency Department", "Named nurse for safeguarding children", 3, {Role.learner, Role.manager}),
    ("admin@example.org", "Alex Morgan", 1, "Front Door (MASH)", "Partnership training coordinator", 3, {Role.learner, Role.partnership_admin}),
]

FIRST_NAMES = [
    "Aisha", "Ben", "Carys", "Daniel", "Eleanor", "Farid", "Grace", "Harry", "Imogen", "Jamal",
    "Katie", "Liam", "Maya", "Nathan", "Olivia", "Pawel", "Rhiannon", "Samir", "Tasha", "Umar",
    "Victoria", "Wesley", "Yasmin", "Zoe", "Adam", "Bethan", "Connor", "Deepa", "Ewan", "Fiona",
    "Gareth", "Hannah", "Ibrahim", "Jess", "Kieran", "Leah",
]
LAST_NAMES = [
    "Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Murphy", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts", "Singh", "Taylor",
    "Usman", "Walker", "Young", "Zielinski",
]
JOB_TITLES = {
    AgencyKind.police: [("Police constable", 2), ("Detective constable", 3), ("Police community support officer", 1)],
    AgencyKind.social_care: [("Social worker", 3), ("Family support worker", 2), ("Team manager", 3)],
    AgencyKind.health: [("Staff nurse", 2), ("Sexual health nurse", 3), ("Receptionist", 1)],
    AgencyKind.education: [("Teacher", 2), ("Designated safeguarding lead", 3), ("Teaching assistant", 1)],
    AgencyKind.licensing: [("Private hire driver", 1), ("Hackney carriage driver", 1), ("Licensing officer", 2)],
    AgencyKind.housing: [("Housing officer", 2), ("Caretaker", 1), ("Homelessness adviser", 2)],
    AgencyKind.youth_voluntary: [("Youth worker", 2), ("Volunteer mentor", 1), ("Project lead", 2)],
    AgencyKind.other: [("Firefighter", 1), ("Community safety adviser", 2)],
}

# Which bundled courses each agency kind must take (course folder slug, agency kinds; None = all).
# Loaded only once the courses have been imported (`flask --app app content import`).
DEMO_REQUIREMENTS = [
    ("cse-level-1", None),
    ("cse-taxi-drivers", [AgencyKind.licensing]),
]
# Refresher periods that differ from a course's own (refresher_months in course.md), by agency
# kind: school staff need safeguarding updates at least once a year (KCSIE).
DEMO_REFRESHER_MONTHS = {
    ("cse-level-1", AgencyKind.education): 12,
}
