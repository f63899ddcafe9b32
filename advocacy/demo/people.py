"""The demo's themes, member networks and people: realistic, fictional, and marked as such."""

import sqlalchemy as sa
from slugify import slugify

from advocacy.extensions import db
from advocacy.models import (
    Department as D,
)
from advocacy.models import (
    EssFamily as F,
)
from advocacy.models import (
    Membership,
    MembershipRole,
    Network,
    Theme,
    User,
)
from advocacy.models import (
    NetworkKind as K,
)
from advocacy.services import accounts, networks

THEMES = [
    (
        "emploi-durable",
        "Emploi durable",
        "Sustainable employment",
        "Des emplois de qualité, non délocalisables, et l'insertion par l'activité économique.",
        "Quality jobs that stay local, and integration through economic activity.",
    ),
    (
        "transition-ecologique",
        "Transition écologique",
        "Ecological transition",
        "Protection de l'environnement, sobriété, économie circulaire.",
        "Protecting the environment, sufficiency, the circular economy.",
    ),
    (
        "bien-vieillir",
        "Bien vieillir",
        "Ageing well",
        "Accompagnement du bien vieillir, aide à domicile, habitat inclusif.",
        "Supporting older people, home care, inclusive housing.",
    ),
    (
        "sante",
        "Santé et prévention",
        "Health and prevention",
        "Prévention des risques sanitaires et qualité des services de santé.",
        "Preventing health risks and the quality of health services.",
    ),
    (
        "solidarites",
        "Vulnérabilités et précarité",
        "Vulnerability and poverty",
        "Accompagnement des personnes en situation de vulnérabilité ou de précarité.",
        "Supporting people in vulnerable or precarious situations.",
    ),
    (
        "jeunesse",
        "Jeunesse",
        "Youth",
        "Engagement, formation et insertion des jeunes.",
        "Young people's engagement, training and first jobs.",
    ),
    (
        "petite-enfance",
        "Accueil des jeunes enfants",
        "Early childhood",
        "Modes d'accueil du jeune enfant portés par l'ESS.",
        "Childcare run by social economy organisations.",
    ),
    (
        "alimentation",
        "Alimentation saine et durable",
        "Healthy, sustainable food",
        "Circuits courts, restauration collective, accès de tous à une alimentation de qualité.",
        "Short supply chains, school canteens, good food for everyone.",
    ),
    (
        "ressources-naturelles",
        "Préservation des ressources naturelles",
        "Preserving natural resources",
        "Eau, sols, biodiversité : une gestion en commun.",
        "Water, soil, biodiversity: managed as commons.",
    ),
    (
        "tourisme-social",
        "Tourisme social et solidaire",
        "Social and solidarity tourism",
        "Des vacances pour toutes et tous, un tourisme ancré dans les territoires.",
        "Holidays for everyone, tourism rooted in its territories.",
    ),
    (
        "culture-sport",
        "Accès à la culture et au sport",
        "Access to culture and sport",
        "Associations culturelles et sportives, éducation populaire.",
        "Cultural and sports associations, popular education.",
    ),
    (
        "relocalisation",
        "Relocalisation des biens et services",
        "Relocating goods and services",
        "Filières locales, réemploi, coopérations économiques territoriales.",
        "Local supply chains, reuse, territorial economic cooperation.",
    ),
]

#: (slug, name, kind, family, department, description)
NETWORKS = [
    (
        "urscop-pdl",
        "Union régionale des Scop et Scic des Pays de la Loire",
        K.SECTOR,
        F.COOPERATIVE,
        D.REGION,
        "Fédère les sociétés coopératives et participatives et les coopératives d'intérêt collectif de la région.",
    ),
    (
        "coop-agricoles-ouest",
        "Fédération régionale des coopératives agricoles de l'Ouest",
        K.SECTOR,
        F.COOPERATIVE,
        D.REGION,
        "Représente les coopératives agricoles et leurs filières alimentaires.",
    ),
    (
        "toits-partages",
        "Coopérative d'habitants Les Toits Partagés",
        K.ENTERPRISE,
        F.COOPERATIVE,
        D.LOIRE_ATLANTIQUE,
        "Habitat participatif et coopératif dans l'agglomération nantaise.",
    ),
    (
        "energies-citoyennes-72",
        "Scic Énergies citoyennes sarthoises",
        K.ENTERPRISE,
        F.COOPERATIVE,
        D.SARTHE,
        "Production d'énergie renouvelable portée par les habitants et les collectivités.",
    ),
    (
        "mutualite-ligerienne",
        "Union régionale de la Mutualité ligérienne",
        K.SECTOR,
        F.MUTUAL,
        D.REGION,
        "Rassemble les mutuelles santé de la région et leurs services de soins.",
    ),
    (
        "mutuelle-solidaire-vendee",
        "Mutuelle solidaire de Vendée",
        K.ENTERPRISE,
        F.MUTUAL,
        D.VENDEE,
        "Mutuelle de proximité, engagée dans la prévention santé.",
    ),
    (
        "mutuelle-anjou",
        "Mutuelle des travailleurs de l'Anjou",
        K.ENTERPRISE,
        F.MUTUAL,
        D.MAINE_ET_LOIRE,
        "Complémentaire santé et prévoyance des salariés du Maine-et-Loire.",
    ),
    (
        "mouvement-associatif-ligerien",
        "Le Mouvement associatif ligérien",
        K.SECTOR,
        F.ASSOCIATION,
        D.REGION,
        "Porte la voix des associations de la région.",
    ),
    (
        "centres-sociaux-pdl",
        "Fédération régionale des centres sociaux",
        K.SECTOR,
        F.ASSOCIATION,
        D.REGION,
        "Anime le réseau des centres sociaux et espaces de vie sociale.",
    ),
    (
        "insertion-pdl",
        "Union régionale des structures d'insertion par l'activité économique",
        K.SECTOR,
        F.ASSOCIATION,
        D.REGION,
        "Chantiers d'insertion, associations intermédiaires, entreprises d'insertion.",
    ),
    (
        "jeunesse-territoires-53",
        "Association Jeunesse et territoires de Mayenne",
        K.ENTERPRISE,
        F.ASSOCIATION,
        D.MAYENNE,
        "Accompagne l'engagement et les projets des jeunes en milieu rural.",
    ),
    (
        "alimentation-durable-pdl",
        "Réseau régional pour une alimentation durable",
        K.SECTOR,
        F.ASSOCIATION,
        D.REGION,
        "Épiceries solidaires, jardins partagés, projets alimentaires territoriaux.",
    ),
    (
        "tourisme-social-pdl",
        "Comité régional du tourisme social et solidaire",
        K.SECTOR,
        F.ASSOCIATION,
        D.REGION,
        "Villages vacances, centres de séjour et associations de vacances pour tous.",
    ),
    (
        "culture-solidaire-nantes",
        "Collectif Culture solidaire",
        K.ENTERPRISE,
        F.ASSOCIATION,
        D.LOIRE_ATLANTIQUE,
        "Lieux culturels associatifs et éducation populaire.",
    ),
    (
        "societes-ess-ouest",
        "Union des sociétés commerciales de l'ESS de l'Ouest",
        K.SECTOR,
        F.COMMERCIAL,
        D.REGION,
        "Rassemble les sociétés commerciales de l'ESS et les entreprises agréées ESUS.",
    ),
    (
        "recyclerie-bocage",
        "Recyclerie du Bocage",
        K.ENTERPRISE,
        F.COMMERCIAL,
        D.VENDEE,
        "Collecte, réemploi et vente solidaire, agréée entreprise solidaire d'utilité sociale.",
    ),
    (
        "atelier-reemploi-72",
        "Atelier du réemploi manceau",
        K.ENTERPRISE,
        F.COMMERCIAL,
        D.SARTHE,
        "Réparation et réemploi d'équipements, emplois en insertion.",
    ),
    (
        "fondation-solidarites-ligeriennes",
        "Fondation Solidarités ligériennes",
        K.ENTERPRISE,
        F.FOUNDATION,
        D.REGION,
        "Soutient les projets d'innovation sociale en Pays de la Loire.",
    ),
    (
        "fonds-bien-vieillir-anjou",
        "Fonds de dotation Bien vieillir en Anjou",
        K.ENTERPRISE,
        F.FOUNDATION,
        D.MAINE_ET_LOIRE,
        "Finance l'habitat inclusif et la lutte contre l'isolement des aînés.",
    ),
    (
        "employeurs-ess-pdl",
        "Union régionale des employeurs de l'ESS",
        K.SECTOR,
        F.EMPLOYERS,
        D.REGION,
        "Représente les employeurs de l'économie sociale et solidaire dans le dialogue social.",
    ),
    (
        "employeurs-domicile-pdl",
        "Union des employeurs de l'aide à domicile",
        K.SECTOR,
        F.EMPLOYERS,
        D.REGION,
        "Employeurs associatifs de l'aide et du soin à domicile.",
    ),
    (
        "ge-solidaire-49",
        "Groupement d'employeurs solidaires de l'Anjou",
        K.ENTERPRISE,
        F.EMPLOYERS,
        D.MAINE_ET_LOIRE,
        "Partage d'emplois entre associations et coopératives du territoire.",
    ),
    (
        "ess-44",
        "Réseau ESS de Loire-Atlantique",
        K.TERRITORIAL,
        F.ASSOCIATION,
        D.LOIRE_ATLANTIQUE,
        "Réseau départemental des acteurs de l'ESS de Loire-Atlantique.",
    ),
    (
        "ess-49",
        "Réseau ESS de Maine-et-Loire",
        K.TERRITORIAL,
        F.ASSOCIATION,
        D.MAINE_ET_LOIRE,
        "Réseau départemental des acteurs de l'ESS de Maine-et-Loire.",
    ),
    (
        "ess-53",
        "Réseau ESS de Mayenne",
        K.TERRITORIAL,
        F.ASSOCIATION,
        D.MAYENNE,
        "Réseau départemental des acteurs de l'ESS de Mayenne.",
    ),
    (
        "ess-72",
        "Réseau ESS de la Sarthe",
        K.TERRITORIAL,
        F.ASSOCIATION,
        D.SARTHE,
        "Réseau départemental des acteurs de l'ESS de la Sarthe.",
    ),
    (
        "ess-85",
        "Réseau ESS de Vendée",
        K.TERRITORIAL,
        F.ASSOCIATION,
        D.VENDEE,
        "Réseau départemental des acteurs de l'ESS de Vendée.",
    ),
    (
        "ptce-estuaire",
        "PTCE Estuaire coopératif",
        K.PTCE,
        F.ASSOCIATION,
        D.LOIRE_ATLANTIQUE,
        "Pôle territorial de coopération économique autour de l'économie circulaire.",
    ),
    (
        "ptce-craonnais",
        "PTCE du Craonnais en transition",
        K.PTCE,
        F.COOPERATIVE,
        D.MAYENNE,
        "Coopérations entre entreprises, associations et collectivités du sud Mayenne.",
    ),
    (
        "ptce-vallee-loir",
        "PTCE Vallée du Loir solidaire",
        K.PTCE,
        F.ASSOCIATION,
        D.SARTHE,
        "Filières alimentaires locales et emplois partagés en vallée du Loir.",
    ),
]

FIRST = [
    "Camille",
    "Nathalie",
    "Julien",
    "Sophie",
    "Thomas",
    "Isabelle",
    "Karim",
    "Élise",
    "Mathieu",
    "Claire",
    "Yann",
    "Aurélie",
    "Sébastien",
    "Fatou",
    "Pierre",
    "Hélène",
    "Nicolas",
    "Maëlle",
    "Olivier",
    "Anne",
    "Romain",
    "Léa",
    "Vincent",
    "Agnès",
    "Grégoire",
    "Céline",
    "Bruno",
    "Marion",
    "Antoine",
    "Sandrine",
    "Erwan",
    "Lucie",
    "Patrice",
    "Nadia",
    "François",
    "Gaëlle",
]
LAST = [
    "Le Goff",
    "Moreau",
    "Guérin",
    "Rousseau",
    "Bertin",
    "Chauvet",
    "Benali",
    "Pasquier",
    "Hamon",
    "Lebreton",
    "Kervella",
    "Joubert",
    "Renaud",
    "Diallo",
    "Tessier",
    "Marchand",
    "Gautier",
    "Le Floch",
    "Brossard",
    "Cosson",
    "Perrin",
    "Grimaud",
    "Maillard",
    "Besnard",
    "Fleury",
    "Hervé",
    "Lucas",
    "Barbier",
    "Poirier",
    "Raimbault",
    "Le Bihan",
    "Chevalier",
    "Ménard",
    "Haddad",
    "Bodin",
    "Riou",
]

DEMO_DOMAIN = "demo.porte-voix.fr"
STAFF_EMAIL = f"equipe@{DEMO_DOMAIN}"


def _email(first: str, last: str) -> str:
    return f"{slugify(first)}.{slugify(last)}@{DEMO_DOMAIN}"


def seed_people(password: str) -> dict[str, list[tuple[str, str]]]:
    """Create (or complete) the demo data; returns the accounts to print, by role."""
    for i, (slug, name_fr, name_en, desc_fr, desc_en) in enumerate(THEMES):
        if db.session.scalar(sa.select(Theme.id).filter_by(slug=slug)) is None:
            networks.create_theme(
                {
                    "slug": slug,
                    "name_fr": name_fr,
                    "name_en": name_en,
                    "description_fr": desc_fr,
                    "description_en": desc_en,
                    "sort_order": i,
                },
                by=None,
            )
    by_slug = {}
    for slug, name, kind, family, department, description in NETWORKS:
        network = db.session.scalar(sa.select(Network).filter_by(slug=slug))
        if network is None:
            network = networks.create_network(
                {
                    "slug": slug,
                    "name": name,
                    "kind": kind,
                    "family": family,
                    "department": department,
                    "description": description,
                    "website": "",
                },
                by=None,
                is_demo=True,
            )
        by_slug[slug] = network

    shown: dict[str, list[tuple[str, str]]] = {
        "staff": [],
        "board": [],
        "coordinator": [],
        "representative": [],
    }

    def person(email, name, **roles):
        user = accounts.find_user_by_email(email)
        if user is None:
            user = accounts.create_user(
                email=email, display_name=name, password=password, by=None, **roles
            )
        return user

    def join(user, network, role):
        if not any(m.network_id == network.id for m in user.memberships):
            accounts.add_membership(user, network, role, by=None)

    staff = person(STAFF_EMAIL, "Équipe de la CRESS", is_admin=True)
    shown["staff"].append((staff.email, staff.display_name))

    names = list(zip(FIRST, LAST, strict=True))
    slugs = [n[0] for n in NETWORKS]
    # One coordinator per network, and a second representative for the first six.
    plan = [(slugs[i], MembershipRole.COORDINATOR) for i in range(len(slugs))]
    plan += [(slugs[i], MembershipRole.REPRESENTATIVE) for i in range(6)]
    for index, (slug, role) in enumerate(plan):
        first, last = names[index]
        is_board = index in (0, 4, 7)  # Scop, Mutualité and Mouvement associatif
        user = person(_email(first, last), f"{first} {last}", is_board=is_board)
        join(user, by_slug[slug], role)
        if is_board:
            shown["board"].append(
                (user.email, f"{user.display_name} — {by_slug[slug].name}")
            )
        elif role is MembershipRole.COORDINATOR and len(shown["coordinator"]) < 2:
            shown["coordinator"].append(
                (user.email, f"{user.display_name} — {by_slug[slug].name}")
            )
        elif role is MembershipRole.REPRESENTATIVE and len(shown["representative"]) < 2:
            shown["representative"].append(
                (user.email, f"{user.display_name} — {by_slug[slug].name}")
            )
    db.session.flush()
    return shown


def representative(network: Network) -> User | None:
    """The network's first representative: who writes for it in the demo."""
    membership = db.session.scalar(
        sa.select(Membership).filter_by(network_id=network.id).order_by(Membership.id)
    )
    return membership.user if membership else None


def member_of(slug: str, networks: dict[str, Network]) -> User | None:
    """The first representative of the network ``slug``."""
    return representative(networks[slug])
