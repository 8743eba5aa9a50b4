"""Zaken as the Tweede Kamer's OData API returns them with the harvest's $expand, and the official
XML and metadata.xml of their documents, written out by hand. Field names follow the API's
$metadata (tkapi's models, the OpenDataPortaal XSDs); the XML follows the officiele-publicatie
layout of Kamervragen (kamervraagkop, vraag/antwoord with nr and al, noot, kamervraagopmerking)."""

from __future__ import annotations

import uuid
from typing import Any

from official_services import Services

CHANGED = "2026-11-20T10:00:00.123+01:00"


def guid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "kamergraph-test/" + name))


def persoon(
    roepnaam: str | None,
    tussenvoegsel: str | None,
    achternaam: str | None,
    seats: tuple[tuple[str, str, str, str | None], ...] = (),
    key: str | None = None,
) -> dict[str, Any]:
    """A Persoon with its FractieZetelPersoon rows: (Afkorting, NaamNL, Van, TotEnMet)."""
    key = key or f"{roepnaam}-{achternaam}"
    return {
        "Id": guid("persoon/" + key),
        "Nummer": None,
        "Titels": None,
        "Initialen": None,
        "Tussenvoegsel": tussenvoegsel,
        "Achternaam": achternaam,
        "Voornamen": None,
        "Roepnaam": roepnaam,
        "Geslacht": None,
        "Functie": None,
        "Verwijderd": False,
        "FractieZetelPersoon": [
            {
                "Id": guid(f"fzp/{key}/{afkorting}/{van}"),
                "Functie": "Lid",
                "Van": van,  # Edm.Date (the XSD's dateType), where the zaak's dates are DateTimeOffsets
                "TotEnMet": tot,
                "Verwijderd": False,
                "FractieZetel": {
                    "Id": guid(f"zetel/{key}/{afkorting}"),
                    "Gewicht": 1,
                    "Verwijderd": False,
                    "Fractie": fractie(afkorting, naam),
                },
            }
            for afkorting, naam, van, tot in seats
        ],
    }


# When each Fractie sat (DatumActief, DatumInactief: the XSD's dateType, an Edm.Date in the JSON).
FRACTIE_PERIODS = {
    "PvdA": ("1946-02-09", None),
    "VVD": ("1948-01-24", None),
    "CDA": ("1980-10-11", None),
    "Lid Omtzigt": ("2021-06-12", "2023-08-21"),
}


def fractie(afkorting: str, naam: str) -> dict[str, Any]:
    actief, inactief = FRACTIE_PERIODS[afkorting]
    return {
        "Id": guid("fractie/" + afkorting),
        "Nummer": None,
        "Afkorting": afkorting,
        "NaamNL": naam,
        "NaamEN": None,
        "AantalZetels": None,
        "AantalStemmen": None,
        "DatumActief": actief,
        "DatumInactief": inactief,
        "Verwijderd": False,
    }


PLACEHOLDER = {
    "Id": guid("persoon/placeholder"),
    "Nummer": None,
    "Titels": None,
    "Initialen": None,
    "Tussenvoegsel": None,
    "Achternaam": None,
    "Voornamen": None,
    "Roepnaam": None,
    "Geslacht": None,
    "Functie": None,
    "Verwijderd": False,
    "FractieZetelPersoon": [],
}
KATHMANN = persoon("Barbara", None, "Kathmann", (("PvdA", "Partij van de Arbeid", "2021-03-31", None),))
VISSER = persoon(
    "Barbara", None, "Visser", (("VVD", "Volkspartij voor Vrijheid en Democratie", "2012-09-20", "2017-10-25"),)
)
GRAPPERHAUS = persoon("Ferdinand", None, "Grapperhaus")
RUTTE = dict(persoon("Mark", None, "Rutte"), Id="8b3664bd-77e4-468b-af96-f3f4ec27fcce")
OMTZIGT = persoon(
    "Pieter",
    None,
    "Omtzigt",
    (
        ("CDA", "Christen-Democratisch Appèl", "2003-06-03", "2021-06-12"),
        ("Lid Omtzigt", "Lid Omtzigt", "2021-06-12", "2023-08-21"),
    ),
)


def actor(
    relatie: str,
    naam: str,
    functie: str,
    person: dict[str, Any] | None,
    fractie: str | None = None,
    *,
    zaak: str,
    empty_fractie: bool = False,
) -> dict[str, Any]:
    return {
        "Id": guid(f"actor/{zaak}/{relatie}/{naam}"),
        "ActorNaam": naam,
        "ActorFractie": fractie,
        "ActorAfkorting": None,
        "Functie": functie,
        "Relatie": relatie,
        "SidActor": None,
        "Persoon_Id": person["Id"] if person else None,
        "Fractie_Id": guid("fractie/" + (fractie or "leeg")),
        "Commissie_Id": None,
        "GewijzigdOp": CHANGED,
        "ApiGewijzigdOp": CHANGED,
        "Verwijderd": False,
        "Persoon": person,
        "Fractie": (
            {"Id": guid("fractie/leeg"), "Afkorting": None, "NaamNL": None, "Verwijderd": False}
            if empty_fractie
            else (
                {"Id": guid("fractie/" + fractie), "Afkorting": fractie, "NaamNL": fractie, "Verwijderd": False}
                if fractie
                else None
            )
        ),
    }


def signer(relatie: str, naam: str, functie: str, person: dict[str, Any] | None, *, document: str) -> dict[str, Any]:
    return {
        "Id": guid(f"documentactor/{document}/{naam}"),
        "ActorNaam": naam,
        "ActorFractie": None,
        "Functie": functie,
        "Relatie": relatie,
        "SidActor": None,
        "Persoon_Id": person["Id"] if person else None,
        "Fractie_Id": None,
        "Commissie_Id": None,
        "GewijzigdOp": CHANGED,
        "ApiGewijzigdOp": CHANGED,
        "Verwijderd": False,
        "Persoon": person,
    }


def document(
    soort: str,
    nummer: str,
    datum: str,
    onderwerp: str,
    externe_id: str | None,
    signers: tuple[dict[str, Any], ...] = (),
    changed: str = CHANGED,
) -> dict[str, Any]:
    return {
        "Id": guid("document/" + nummer),
        "Soort": soort,
        "DocumentNummer": nummer,
        "Titel": onderwerp,
        "Onderwerp": onderwerp,
        "Datum": f"{datum}T00:00:00+01:00",
        "Vergaderjaar": None,
        "Kamer": 2,
        "Volgnummer": 1,
        "Citeertitel": None,
        "Alias": None,
        "DatumRegistratie": None,
        "DatumOntvangst": None,
        "Aanhangselnummer": None,
        "KenmerkAfzender": None,
        "Organisatie": "Tweede Kamer",
        "ContentType": "application/pdf",
        "ContentLength": 1000,
        "GewijzigdOp": changed,
        "ApiGewijzigdOp": changed,
        "Verwijderd": False,
        "HuidigeDocumentVersie_Id": guid("versie/" + nummer),
        "DocumentActor": list(signers),
        "DocumentVersie": []
        if externe_id is None
        else [
            {
                "Id": guid("versie/" + nummer),
                "Status": "Vrijgegeven",
                "Versienummer": 1,
                "Bestandsgrootte": 1000,
                "Extensie": ".pdf",
                "Datum": f"{datum}T00:00:00+01:00",
                "ExterneIdentifier": externe_id,
                "GewijzigdOp": changed,
                "ApiGewijzigdOp": changed,
                "Verwijderd": False,
            }
        ],
    }


def zaak(
    nummer: str,
    gestart: str,
    onderwerp: str,
    actors: list[dict[str, Any]],
    documents: list[dict[str, Any]],
    *,
    soort: str = "Schriftelijke vragen",
    changed: str = CHANGED,
    deleted: bool = False,
) -> dict[str, Any]:
    return {
        "Id": guid("zaak/" + nummer),
        "Nummer": nummer,
        "Soort": soort,
        "Titel": None,
        "Citeertitel": None,
        "Alias": None,
        "Status": "Vrijgegeven",
        "Onderwerp": onderwerp,
        "GestartOp": f"{gestart}T00:00:00+02:00",
        "Organisatie": "Tweede Kamer",
        "Grondslagvoorhang": None,
        "Termijn": None,
        "Vergaderjaar": "2021-2022",
        "Volgnummer": 1,
        "HuidigeBehandelstatus": None,
        "Afgedaan": False,
        "GrootProject": False,
        "GewijzigdOp": changed,
        "ApiGewijzigdOp": changed,
        "Verwijderd": deleted,
        "ZaakActor": actors,
        "Document": documents,
    }


def metadata(
    identifier: str,
    title: str,
    categories: tuple[str, ...] = (),
    submitted: str | None = None,
    received: str | None = None,
) -> str:
    rows = [
        '  <metadata name="DC.type" scheme="OVERHEID.Informatietype" content="officiële publicatie" />',
        '  <metadata name="OVERHEIDop.publicationName" scheme="" content="Kamervragen (Aanhangsel)" />',
        *(
            f'  <metadata name="OVERHEID.category" scheme="OVERHEID.TaxonomieBeleidsagenda" content="{c}" />'
            for c in categories
        ),
        f'  <metadata name="DC.title" scheme="" content="{title}" />',
        f'  <metadata name="DC.identifier" scheme="OVERHEIDop.Kamervragen" content="{identifier}" />',
    ]
    if submitted:
        rows.append(f'  <metadata name="OVERHEIDop.datumIndiening" scheme="DCTERMS.W3CDTF" content="{submitted}" />')
    if received:
        rows.append(f'  <metadata name="OVERHEIDop.datumOntvangst" scheme="DCTERMS.W3CDTF" content="{received}" />')
    return "<metadata_gegevens>\n" + "\n".join(rows) + "\n</metadata_gegevens>"


def official(
    nummer: str, blocks: list[tuple[str, str, str]], notes: tuple[tuple[int, str], ...] = (), remark: str | None = None
) -> str:
    """A kamervragen document: blocks are (vraag|antwoord, nr text, paragraphs split on '|');
    ``[n]`` in a paragraph is a reference to footnote n."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<officiele-publicatie>",
        "<kamervragen>",
        f"<kamervraagkop><kamervraagnummer>{nummer}</kamervraagnummer><kamervraagomschrijving>Vragen "
        "van het lid <naam><achternaam>X</achternaam></naam></kamervraagomschrijving></kamervraagkop>",
    ]
    for tag, label, text in blocks:
        paragraphs = "".join(f"<al>{_refs(p)}</al>" for p in text.split("|"))
        parts.append(f"<{tag}><nr>{label}</nr>{paragraphs}</{tag}>")
    for number, text in notes:
        parts.append(f'<noot id="ID-{number}" type="voet"><noot.nr>{number}</noot.nr><noot.al>{text}</noot.al></noot>')
    if remark:
        parts.append(f"<kamervraagopmerking><al>Mededeling</al><al>{remark}</al></kamervraagopmerking>")
    parts += ["</kamervragen>", "</officiele-publicatie>"]
    return "\n".join(parts)


def _refs(text: str) -> str:
    import re

    return re.sub(r"\[(\d+)\]", r'<nootref refid="ID-\1"/>', text)


# --- the zaken ------------------------------------------------------------------------------

DRONES = "2021Z16860"


def load_all(services: Services) -> None:
    """Every zaak of the tests as the first run finds them."""
    # 1. Two addressed, one signs; a notice of delay; footnotes; topics.
    z = DRONES
    services.add_zaak(
        zaak(
            z,
            "2021-09-30",
            "Vragen van het lid Kathmann (PvdA) aan de ministers van Infrastructuur en "
            "Waterstaat en van Justitie en Veiligheid over mogelijke dataverzameling van Chinese drones",
            [
                actor("Indiener", "B.C. Kathmann", "Tweede Kamerlid", KATHMANN, "PvdA", zaak=z),
                actor("Gericht aan", "B. Visser", "minister van Infrastructuur en Waterstaat", VISSER, zaak=z),
                actor("Gericht aan", "F.B.J. Grapperhaus", "minister van Justitie en Veiligheid", GRAPPERHAUS, zaak=z),
            ],
            [
                document(
                    "Schriftelijke vragen", "2021D36666", "2021-09-30", "Vragen over Chinese drones", "kv-tk-2021Z16860"
                ),
                document(
                    "Mededeling (uitstel antwoord)",
                    "2021D39999",
                    "2021-10-21",
                    "Uitstel antwoord",
                    "ah-tk-20212022-400",
                ),
                document(
                    "Antwoord schriftelijke vragen",
                    "2021D44444",
                    "2021-11-18",
                    "Antwoord op vragen over drones",
                    "ah-tk-20212022-753",
                    (
                        signer(
                            "Eerste ondertekenaar",
                            "B. Visser",
                            "minister van Infrastructuur en Waterstaat",
                            VISSER,
                            document="2021D44444",
                        ),
                    ),
                ),
            ],
        )
    )
    services.publish(
        "kv-tk-2021Z16860",
        official(
            z,
            [
                ("vraag", "Vraag 1", "Bent u bekend met de artikelen[1] en[2]?"),
                ("vraag", "Vraag 2", "Hoe reageert u op de stelling?"),
            ],
            ((1, "NOS, 29 september 2021"), (2, "RTL, 29 september 2021")),
        ),
        metadata("kv-tk-2021Z16860", "Vragen over drones", ("Verkeer | Luchtvaart", "Internationaal"), "2021-09-30"),
    )
    services.publish(
        "ah-tk-20212022-400",
        official(z, [], remark="De vragen kunnen niet binnen de termijn worden beantwoord."),
        metadata("ah-tk-20212022-400", "Mededeling"),
    )
    services.publish(
        "ah-tk-20212022-753",
        official(
            z,
            [
                ("vraag", "Vraag 1", "Bent u bekend met de artikelen[1] en[2]?"),
                ("antwoord", "Antwoord 1", "Ja."),
                ("vraag", "Vraag 2", "Hoe reageert u op de stelling?"),
                ("antwoord", "Antwoord 2", "In algemene zin|Wel bestaat het risico."),
            ],
            ((1, "NOS, 29 september 2021"), (2, "RTL, 29 september 2021")),
        ),
        metadata("ah-tk-20212022-753", "Antwoord", ("Verkeer | Luchtvaart",), received="2021-11-18"),
    )

    # 2. Open, with a notice of delay whose official text is missing.
    z = "2019Z21877"
    services.add_zaak(
        zaak(
            z,
            "2019-11-12",
            "Vragen van het lid Omtzigt (CDA) aan de minister van Financiën over de toeslagen",
            [
                actor("Indiener", "P.H. Omtzigt", "Tweede Kamerlid", OMTZIGT, "CDA", zaak=z),
                actor("Gericht aan", "W.B. Hoekstra", "minister van Financiën", None, zaak=z),
            ],
            [
                document(
                    "Schriftelijke vragen", "2019D46000", "2019-11-12", "Vragen over de toeslagen", "kv-tk-2019Z21877"
                ),
                document("Mededeling", "2019D49000", "2019-12-03", "Mededeling uitstel beantwoording", None),
            ],
        )
    )
    services.publish(
        "kv-tk-2019Z21877",
        official(z, [("vraag", "Vraag 1", "Wat weet u?"), ("vraag", "Vraag 2", "Wanneer?")]),
        metadata("kv-tk-2019Z21877", "Vragen over de toeslagen", ("Financiën | Belasting",)),
    )

    # 3. Combined answers; several addressees, one answerer (the minister-president); a co-submitter
    # whose Persoon is a placeholder; an actor of an unknown Relatie; a document of an unknown Soort.
    z = "2018Z01234"
    services.add_zaak(
        zaak(
            z,
            "2018-03-01",
            "Vragen van de leden Omtzigt en Y aan de minister-president over de dividendbelasting",
            [
                actor("Indiener", "P.H. Omtzigt", "Tweede Kamerlid", OMTZIGT, "CDA", zaak=z),
                actor("Medeindiener", "Y. Onbekend", "Tweede Kamerlid", PLACEHOLDER, "CDA", zaak=z, empty_fractie=True),
                actor("Gericht aan", "M. Rutte", "minister-president, minister van Algemene Zaken", RUTTE, zaak=z),
                actor("Gericht aan", "W.B. Hoekstra", "minister van Financiën", None, zaak=z),
                actor("Belanghebbende", "Z. Iemand", "burger", None, zaak=z),
            ],
            [
                document(
                    "Schriftelijke vragen",
                    "2018D10000",
                    "2018-03-01",
                    "Vragen over de dividendbelasting",
                    "kv-tk-2018Z01234",
                ),
                document("Brief regering", "2018D10001", "2018-03-02", "Een brief", None),
                document(
                    "Antwoord schriftelijke vragen",
                    "2018D20000",
                    "2018-03-20",
                    "Antwoord dividendbelasting",
                    "ah-tk-20172018-1500",
                    (
                        signer(
                            "Eerste ondertekenaar",
                            "M. Rutte",
                            "minister-president, minister van Algemene Zaken",
                            RUTTE,
                            document="2018D20000",
                        ),
                    ),
                ),
            ],
        )
    )
    services.publish(
        "kv-tk-2018Z01234",
        official(z, [("vraag", f"Vraag {n}", f"Vraag {n}?") for n in (1, 2, 3)]),
        metadata("kv-tk-2018Z01234", "Vragen dividendbelasting", ("Financiën | Belasting",)),
    )
    services.publish(
        "ah-tk-20172018-1500",
        official(
            z,
            [
                ("vraag", "Vraag 1", "Vraag 1?"),
                ("antwoord", "Antwoord 1", "Nee."),
                ("vraag", "Vraag 2", "Vraag 2?"),
                ("vraag", "Vraag 3", "Vraag 3?"),
                ("antwoord", "Antwoord 2, 3", "Zie de brief."),
            ],
        ),
        metadata("ah-tk-20172018-1500", "Antwoord"),
    )

    # 4. Withdrawn: a Mededeling about intrekken.
    z = "2022Z05555"
    services.add_zaak(
        zaak(
            z,
            "2022-03-10",
            "Vragen van het lid Kathmann (PvdA) aan de minister van Financiën over munten",
            [
                actor("Indiener", "B.C. Kathmann", "Tweede Kamerlid", KATHMANN, "PvdA", zaak=z),
                actor("Gericht aan", "S.A.M. Kaag", "minister van Financiën", None, zaak=z),
            ],
            [
                document("Schriftelijke vragen", "2022D10000", "2022-03-10", "Vragen over munten", "kv-tk-2022Z05555"),
                document(
                    "Mededeling",
                    "2022D11000",
                    "2022-03-15",
                    "Mededeling over het intrekken van schriftelijke vragen",
                    "ah-tk-20212022-2000",
                ),
            ],
        )
    )
    services.publish(
        "kv-tk-2022Z05555",
        official(z, [("vraag", "Vraag 1", "Munten?")]),
        metadata("kv-tk-2022Z05555", "Vragen over munten"),
    )
    services.publish(
        "ah-tk-20212022-2000",
        official(z, [], remark="Het lid Kathmann heeft haar vragen ingetrokken."),
        metadata("ah-tk-20212022-2000", "Mededeling"),
    )

    # 5. The official question document is missing: stored from the API's metadata, flagged.
    z = "2023Z00001"
    services.add_zaak(
        zaak(
            z,
            "2023-01-05",
            "Vragen van het lid Kathmann (PvdA) aan de staatssecretaris van Financiën over de kinderopvang",
            [
                actor("Indiener", "B.C. Kathmann", "Tweede Kamerlid", KATHMANN, "PvdA", zaak=z),
                actor("Gericht aan", "M.L.A. van Rij", "staatssecretaris van Financiën", None, zaak=z),
            ],
            [
                document(
                    "Schriftelijke vragen",
                    "2023D00001",
                    "2023-01-05",
                    "Vragen over de kinderopvang",
                    "kv-tk-2023Z00001",
                )
            ],
        )
    )

    # Its metadata.xml is published, the XML not (the search still lists the document).
    services.publish(
        "kv-tk-2023Z00001",
        None,
        metadata(
            "kv-tk-2023Z00001", "Vragen over de kinderopvang", ("Sociale zekerheid | Gezin en kinderen",), "2023-01-05"
        ),
    )

    # 6. Deleted in the API.
    services.add_zaak(zaak("2020Z09999", "2020-05-01", "Vragen over niets", [], [], deleted=True))

    # 7. A zaak of another Soort the number filter still reaches: never stored.
    services.add_zaak(zaak("2020Z08888", "2020-05-02", "Mondeling", [], [], soort="Mondelinge vragen"))

    # 8. Answered, with a nader answer arriving later (see add_nader).
    z = "2024Z10000"
    services.add_zaak(
        zaak(
            z,
            "2024-06-03",
            "Vragen van het lid Kathmann (PvdA) aan de minister van Financiën over de bankenbelasting",
            [
                actor("Indiener", "B.C. Kathmann", "Tweede Kamerlid", KATHMANN, "PvdA", zaak=z),
                actor("Gericht aan", "S.A.M. Kaag", "minister van Financiën", None, zaak=z),
            ],
            [
                document(
                    "Schriftelijke vragen",
                    "2024D20000",
                    "2024-06-03",
                    "Vragen over de bankenbelasting",
                    "kv-tk-2024Z10000",
                ),
                document(
                    "Antwoord schriftelijke vragen",
                    "2024D22000",
                    "2024-06-20",
                    "Antwoord bankenbelasting",
                    "ah-tk-20232024-1700",
                    (
                        signer(
                            "Eerste ondertekenaar", "S.A.M. Kaag", "minister van Financiën", None, document="2024D22000"
                        ),
                    ),
                ),
            ],
        )
    )
    services.publish(
        "kv-tk-2024Z10000",
        official(z, [("vraag", "Vraag 1", "Hoeveel?"), ("vraag", "Vraag 2", "Wanneer?")]),
        metadata("kv-tk-2024Z10000", "Vragen bankenbelasting", ("Financiën | Financieel toezicht",)),
    )
    services.publish(
        "ah-tk-20232024-1700",
        official(
            z,
            [
                ("vraag", "Vraag 1", "Hoeveel?"),
                ("antwoord", "Antwoord 1", "Veel."),
                ("vraag", "Vraag 2", "Wanneer?"),
                ("antwoord", "Antwoord 2", "Dat volgt."),
            ],
        ),
        metadata("ah-tk-20232024-1700", "Antwoord"),
    )


NADER_CHANGED = "2026-12-01T09:00:00+01:00"  # after the first run of the tests


def add_nader(services: Services) -> None:
    """The nader answer of 2024Z10000, made visible in the API after the first run."""
    z = "2024Z10000"
    held = services.zaken[guid("zaak/" + z)]
    held["Document"].append(
        document(
            "Antwoord schriftelijke vragen (nader)",
            "2024D30000",
            "2024-09-02",
            "Nader antwoord bankenbelasting",
            "ah-tk-20232024-2500",
            (
                signer("Eerste ondertekenaar", "E. Heinen", "minister van Financiën", None, document="2024D30000"),
                signer(
                    "Mede ondertekenaar",
                    "T. van Oostenbruggen",
                    "staatssecretaris van Financiën",
                    None,
                    document="2024D30000",
                ),
            ),
            changed=NADER_CHANGED,
        )
    )
    services.publish(
        "ah-tk-20232024-2500",
        official(z, [("vraag", "Vraag 2", "Wanneer?"), ("antwoord", "Antwoord 2", "In september.")]),
        metadata("ah-tk-20232024-2500", "Nader antwoord"),
    )


AFTER_SPLIT = "2022Z02000"


def add_after_split(services: Services) -> None:
    """Omtzigt asks after he left the CDA (his seat in 'Lid Omtzigt' runs from 2021-06-12), and the
    zaak's actor still names the CDA: the Fractie links are made by hand and late (OpenDataPortaal
    issue #60). The party of his seat on the day of the question is the one printed."""
    z = AFTER_SPLIT
    services.add_zaak(
        zaak(
            z,
            "2022-02-01",
            "Vragen van het lid Omtzigt aan de minister van Financiën over de toeslagen",
            [
                actor("Indiener", "P.H. Omtzigt", "Tweede Kamerlid", OMTZIGT, "CDA", zaak=z),
                actor("Gericht aan", "S.A.M. Kaag", "minister van Financiën", None, zaak=z),
            ],
            [document("Schriftelijke vragen", "2022D04000", "2022-02-01", "Vragen over de toeslagen",
                      "kv-tk-2022Z02000")],
        )
    )
    services.publish(
        "kv-tk-2022Z02000",
        official(z, [("vraag", "Vraag 1", "Wanneer?")]),
        metadata("kv-tk-2022Z02000", "Vragen over de toeslagen"),
    )
