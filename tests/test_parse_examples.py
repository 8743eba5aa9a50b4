"""The parser against hand-written expectations, one test per page in examples/.

Every expected value below is written out in full, from reading the page, following the parsing
rules (see ingest/parse.py): texts stripped and joined with "\\n", footnote markers glued to
punctuation taken out of the text (a single space replacing a marker that was directly followed by a
letter), cross-references to other sub-questions in ``refers_to``, ``combined`` only for an answer
that is nothing but such a pointer, and the mojibake ``ƫ`` repaired to ``ë``.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from kamergraph.ingest.dutch import repair_encoding
from kamergraph.ingest.parse import parse_page
from kamergraph.ingest.records import Answerer, Footnote, Kamervraag, Member, Notice, Role, SubQuestion

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

OB = "https://zoek.officielebekendmakingen.nl/"


def _minister(ministry: str) -> Role:
    """``minister <ministry>`` as printed, e.g. ``minister justitie en veiligheid``."""
    return Role(f"minister {ministry}", "minister", ministry)


# ---------------------------------------------------------------------------------------------
# 000: the real seed page. Footnote lines lost by the crawl, markers still in the text (1, 2 in
# question 1; 3 in answer 18; 4 and 5 in answer 20), a mededeling, many cross-references.
# ---------------------------------------------------------------------------------------------
SEED = Kamervraag(
    zaak="2021Z16860",
    title="Mogelijke dataverzameling van Chinese drones",
    submitted=date(2021, 9, 30),
    answered=date(2021, 11, 18),
    days=49,
    submitters=(Member("Barbara Kathmann", "PvdA"),),
    answerers=(
        Answerer("Barbara Visser", (_minister("infrastructuur en waterstaat"),), "VVD"),
        Answerer("Ferdinand Grapperhaus", (_minister("justitie en veiligheid"),), "CDA"),
    ),
    topics=("internationaal", "luchtvaart", "organisatie en beleid", "verkeer"),
    question_url=OB + "kv-tk-2021Z16860.html",
    answer_url=OB + "ah-tk-20212022-753.html",
    question_document="kv-tk-2021Z16860",
    question_document_title="Mogelijke dataverzameling van Chinese drones",
    answer_document="ah-tk-20212022-753",
    answer_document_title=(
        "Antwoord op vragen van lid Kathmann over mogelijke dataverzameling van Chinese drones"
    ),
    footnotes=(),
    subquestions=(
        SubQuestion(
            1,
            (
                "Bent u bekend met de artikelen «Chinese drones van Nederlandse politie en Rijkswaterstaat mogelijk"
                " onveilig» en «Politie gebruikt Chinese drones die mogelijk onveilig zijn»?"
            ),
            "Ja.",
            question_footnotes=(1, 2),
        ),
        SubQuestion(
            2,
            (
                "Hoe reageert u op de stelling dat data van politiedrones en de drones van Rijkswaterstaat kunnen"
                " wegvloeien naar Chinese servers?"
            ),
            (
                "In algemene zin kan worden gesteld dat een toenemende afhankelijkheid van buitenlandse technologie een"
                " gegeven is, zoals ook gesteld in het Dreigingsbeeld statelijke actoren (DBSA), aangezien geen land"
                " beschikt over alle kennis en productiemiddelen om technologisch onafhankelijk te opereren. Wel"
                " bestaat het risico dat met technologische toeleveringen de digitale spionage- en"
                " sabotagemogelijkheden toenemen. Bij elke casus moet daarom worden bezien hoe eventuele risico’s voor"
                " de nationale veiligheid beheersbaar kunnen worden gemaakt. Uitgangspunt is dat maatregelen die"
                " hiertoe genomen worden proportioneel zijn. Dit vergt een gedetailleerde analyse van de te beschermen"
                " belangen, de dreiging en de (huidige) weerbaarheid. Per casus kan deze analyse anders uitvallen. Ook"
                " bij de inkoop van drones bij de politie en Rijkswaterstaat is deze afweging gemaakt en zijn"
                " risico-mitigerende-maatregelen getroffen.\n"
                "Rijkswaterstaat heeft in 2017 de drones aangeschaft voor een pilot. Conform de toenmalige"
                " inkoopvoorwaarden van Rijkswaterstaat zijn – voorafgaand aan de aanschaf voor de pilot – diverse"
                " maatregelen genomen om te voorkomen dat data mogelijk op Chinese servers kunnen belanden. Zo maakt"
                " Rijkswaterstaat geen gebruik van de in het artikel genoemde DJI-besturingsapp en worden de beelden op"
                " een externe geheugenkaart opgeslagen. De informatie op deze geheugenkaarten wordt op de eigen servers"
                " en bij een Nederlandse cloud-opslag bewaard en uitgelezen.\n"
                "De politie heeft op grond van de berichten dat data kunnen weglekken naar Chinese servers besloten de"
                " DJI-drones alleen in te zetten tijdens reguliere operaties. Dat wil zeggen: wel voor forensische"
                " opsporing, verkeersongevallenanalyse en openbare orde en veiligheid, maar niet voor operaties waarbij"
                " vertrouwelijke informatie wordt verwerkt. Daarnaast heeft de politie eveneens beschermende"
                " maatregelen getroffen. Zo wordt geen gebruik gemaakt van de DJI-besturingsapp."
            ),
        ),
        SubQuestion(
            3,
            "Om welke redenen maakt Defensie geen gebruik van deze drones?",
            (
                "Bij de aanschaf van een systeem beoordeelt Defensie de wijze waarop dit systeem zal worden ingezet."
                " Indien daar vertrouwelijke en/of gerubriceerde informatie bij wordt vergaard geldt het Defensie"
                " Beveiligingsbeleid. Daarin is beschreven hoe deze informatie dient te worden behandeld. Dat betekent"
                " dat er beveiligingsmaatregelen worden geïmplementeerd om risico’s te mitigeren. De zwaarte van deze"
                " maatregelen is gekoppeld aan het niveau van het te beschermen belang en de risico’s in en rondom het"
                " systeem. Dat kan betekenen dat voor de behandeling van vertrouwelijke en/of gerubriceerde informatie"
                " bepaalde systemen niet mogen worden ingezet als de risico’s te groot worden ingeschat.\n"
                "In algemene zin kan worden gezegd dat Chinese dronefabrikanten een risico kunnen vormen omdat hun data"
                " op servers in China kunnen staan waarvan de beveiliging lastig is vast te stellen. De beheerders van"
                " die data kunnen bijvoorbeeld verplicht worden om data te leveren aan de overheid. Daarom is gebruik"
                " van dergelijke drones voor Defensie meestal niet mogelijk bij operationeel optreden. Dit sluit niet"
                " uit dat deze drones wel gebruikt worden voor andere doeleinden binnen Defensie, bijvoorbeeld voor het"
                " maken van luchtopnames van trainingen of evenementen. Voor operationele doeleinden beschikt Defensie"
                " over militaire drones die voldoen aan de gestelde beveiligingseisen."
            ),
        ),
        SubQuestion(
            4,
            (
                "Hoe is het mogelijk dat Defensie de drones onveilig vindt, maar dat tegelijkertijd de politie en"
                " Rijkswaterstaat toch gebruik maken van deze drones?"
            ),
            (
                "Het hangt af van het inzetdoel of een bepaald type drone veilig (genoeg) is. Zoals aangegeven bij het"
                " antwoord op vragen 2 en 3 is het uitgangspunt dat eventuele risico’s per casus in kaart moeten worden"
                " gebracht. Defensie heeft besloten om geen gebruik te maken van Chinese drones voor operationele"
                " taken. Defensie heeft daarin haar eigen afweging gemaakt, zoals toegelicht in antwoord 3.\n"
                "Rijkwaterstaat maakt met de drones beelden die geen vertrouwelijke informatie opleveren, bijvoorbeeld"
                " voor incidentmanagement op het water. Als een schip olie heeft verloren kan Rijkswaterstaat een drone"
                " inzetten om de olievlek te lokaliseren en de bestrijding ervan doelgericht aan te kunnen pakken."
                " Sinds kort worden bij wijze van proef ook bij de inspectie van het areaal, bijvoorbeeld bruggen en"
                " viaducten, drones ingezet. Op deze manier kan een inspectie een stuk veiliger en met minder hinder"
                " voor de (vaar)weggebruiker worden uitgevoerd omdat er geen mensen en groot materieel aan te pas"
                " komen. Dit levert ook geen vertrouwelijke informatie op.\n"
                "Zoals gezegd in het antwoord op vraag 2 gebruikt de politie de drones alleen voor het reguliere"
                " proces."
            ),
            refers_to=(2, 3),
        ),
        SubQuestion(
            5,
            (
                "Is er contact geweest tussen de politie, Rijkswaterstaat en Defensie over de aanschaf van deze drones?"
                " Zo nee, waarom niet?"
            ),
            (
                "Voorafgaand aan het gebruik van drones bij Rijkswaterstaat is er contact geweest tussen"
                " Rijkswaterstaat en Defensie om te kijken of de drones van Defensie bruikbaar waren voor de taken van"
                " Rijkswaterstaat. Dit contact was gericht op kennisdeling en ging niet specifiek over de aanschaf van"
                " de betreffende Chinese drones door Rijkswaterstaat.\n"
                "Tussen politie en Defensie zijn er in ieder geval twee contactmomenten geweest waarbij de politie"
                " inkooporganisatie met Defensie heeft overlegd over de aankoop van drones en de overwegingen die"
                " Defensie hanteert bij de keuze voor drones."
            ),
        ),
        SubQuestion(
            6,
            "Welke eisen zijn er gesteld bij de aanbesteding van deze drones?",
            (
                "In 2017 is Rijkswaterstaat, middels een pilot, gestart met het gebruik van drones voor"
                " incidentenafhandeling. Belangrijke eisen die door Rijkswaterstaat gesteld zijn onder andere"
                " weerbestendigheid, compactheid en snelle inzetbaarheid. Ook is gekeken naar dataveiligheid; eisen"
                " daarbij zijn o.a. dat de beelden niet op de server van de fabrikant moeten worden opgeslagen en dat"
                " bij een crash de beelden niet door derden kunnen worden uitgelezen. De DJI-drone was het enige type"
                " dat aan de eisen van Rijkswaterstaat voldeed. Nu de meerwaarde in de pilotfase is aangetoond zal"
                " komend jaar een aanbesteding worden gestart voor de aanschaf van drones. Bij de aanbesteding wordt"
                " rekening gehouden met mogelijke risico’s.\n"
                "In het programma van eisen, dat onderdeel is van de aanbestedingsstukken van de politie, zijn eisen"
                " gesteld ten aanzien van onderhoud, training en dataveiligheid. Ten aanzien van dataveiligheid zijn 6"
                " eisen gesteld. Een voorbeeld daarvan is dat de gegevens gedurende transport en opslag zijn beveiligd."
                " De aanbestedingsstukken zijn destijds gepubliceerd op TenderNed."
            ),
        ),
        SubQuestion(
            7,
            (
                "Is dataveiligheid meegenomen als eis bij de aanbesteding van deze drones? Zo ja, waarom is er dan toch"
                " gekozen voor deze drones? Zo nee, waarom niet?"
            ),
            (
                "Zoals gezegd in het antwoord op vraag 6 is bij de aanschaf van de drones in 2017 ook gekeken naar"
                " dataveiligheid. In de berichtgeving in de media wordt daarnaast de DJI besturings-app als risico"
                " genoemd. Deze app kwam ook bij de securitycheck als aandachtspunt naar voren, Rijkswaterstaat maakt"
                " dan ook geen gebruik van deze app voor de besturing van drones, maar zet hiervoor standalone"
                " controllers in.\n"
                "De politie heeft de eisen ten aanzien van dataveiligheid opgenomen in de aanbestedingsdocumenten, zie"
                " ook het antwoord op vraag 6. De politie heeft gekozen voor een Nederlandse leverancier van de"
                " DJI-drones die kon voldoen aan de eisen zoals genoemd in de aanbestedingsdocumenten en daarnaast de"
                " beste prijs-kwaliteitverhouding bood. Als gevolg van de uitkomsten van de security-check maakt ook de"
                " politie geen gebruik van de DJI-besturingsapp."
            ),
            refers_to=(6,),
        ),
        SubQuestion(
            8,
            (
                "Waren er alternatieven die niet gemaakt zijn door Chinese bedrijven? Zo ja, welke? Zo ja, waarom is er"
                " niet gekozen voor de aanschaf van deze drones?"
            ),
            (
                "De meeste dronefabrikanten komen uit China en de Verenigde Staten, een enkele uit de EU. DJI is"
                " wereldmarktleider en kan tegen commercieel aantrekkelijke condities drones leveren die aan de eisen"
                " van de politie voldoen. De Aanbestedingswet schrijft voor dat als er meerdere partijen zijn die"
                " voldoen aan de gestelde eisen, er moet worden gekozen voor de biedende partij met de beste"
                " prijs-kwaliteitverhouding.\n"
                "Rijkswaterstaat en de politie besteden structureel aandacht aan de bescherming en beveiliging van"
                " gegevens en veilige inkoop. De aanschaf van drones loopt via wettelijk voorgeschreven"
                " inkoopprocedures op grond van de Aanbestedingswet 2012. In een aanbesteding wordt getoetst of op een"
                " inschrijver de wettelijke uitsluitingsgronden van de Aanbestedingswet van toepassing zijn. Er was"
                " destijds geen grond en geen reden om DJI-drones uit te sluiten."
            ),
        ),
        SubQuestion(
            9,
            "Hoelang is het bij de politie bekend dat er mogelijk data van deze drones op Chinese drones terecht kwam?",
            (
                "De politie was al voor de start van het aanbestedingstraject op de hoogte van de berichten dat data"
                " van DJI-drones kunnen weglekken naar de Chinese overheid. De politie heeft deze berichten niet kunnen"
                " verifiëren. Deze berichten vormden voor de politie wel aanleiding om contact te zoeken met Defensie."
                " Zoals gezegd in het antwoord op vraag 5 is toen kennis uitgewisseld over de aankoop van drones en de"
                " overwegingen die Defensie hanteert bij de keuze voor drones."
            ),
            refers_to=(5,),
        ),
        SubQuestion(
            10,
            (
                "Waarom ging de politie door met de inzet van deze drones, terwijl ze wist dat er risico’s waren op het"
                " gebied van dataveiligheid?"
            ),
            "Zie het antwoord op vraag 4. De afweging die destijds is gemaakt, geldt nog steeds.",
            refers_to=(4,),
        ),
        SubQuestion(
            11,
            "Waar laat Rijkswaterstaat de veiligheid van drones controleren en inspecteren?",
            (
                "Rijkswaterstaat controleert zelf de vlieg- en dataveiligheid. Indien nodig schakelt Rijkswaterstaat"
                " voor de vliegveiligheid een Nederlands servicecenter in."
            ),
        ),
        SubQuestion(
            12,
            "Waarom besteedt Rijkswaterstaat de inspectie van drones uit aan derden?",
            "Zoals in het antwoord op vraag 11 gemeld inspecteert Rijkswaterstaat de drones zelf.",
            refers_to=(11,),
        ),
        SubQuestion(
            13,
            (
                "Hoe kan het dat de inspectie van de drones, die door Rijkswaterstaat wordt uitbesteed, tot andere"
                " conclusies kwam dan Defensie, het Amerikaanse leger, Synaktic en Checkpoint?"
            ),
            (
                "In het antwoord op vraag 4 is uitgelegd dat de beelden van de drones geen vertrouwelijke informatie"
                " opleveren. Iedere organisatie maakt op basis van het inzetdoel een eigen afweging. Wat betreft het"
                " uitvoeren van inspecties van onze drones verwijs ik u naar mijn antwoord op vraag 11."
            ),
            refers_to=(4, 11),
        ),
        SubQuestion(
            14,
            "Wanneer bent u op de hoogte gesteld van de mogelijke onveilige drones bij de politie en Rijkswaterstaat?",
            (
                "Rijkswaterstaat gebruikt de DJI-drones alleen voor operaties waarbij geen vertrouwelijke informatie"
                " wordt verwerkt en heeft daarnaast de nodige voorzorgsmaatregelen getroffen. Zoals gezegd in het"
                " antwoord op vraag 4 gebruikt de politie de drones alleen voor het reguliere proces. Voor beide"
                " organisaties is er daarom geen aanleiding geweest om hun verantwoordelijke Minister op de hoogte te"
                " stellen voordat hier aandacht voor ontstond in de media."
            ),
            refers_to=(4,),
        ),
        SubQuestion(
            15,
            (
                "Wat heeft u gedaan, toen u op de hoogte werd gesteld van het gebruik van onveilige drones door de"
                " politie en Rijkswaterstaat?"
            ),
            (
                "Naar aanleiding van de aandacht in de media zijn wij door respectievelijk Rijkswaterstaat en de"
                " politie geïnformeerd over de veiligheid van de drones en de afwegingen die zijn gemaakt ten aanzien"
                " van het gebruik in relatie tot het inzetdoel. Naast de reeds getroffen maatregelen en de"
                " gebruikelijke controles en inspecties, zien wij op dit moment geen aanleiding voor aanvullende"
                " maatregelen."
            ),
        ),
        SubQuestion(
            16,
            "Maakt de politie nog steeds gebruik van deze drones? Zo ja, wat vindt u daarvan?",
            (
                "Ja, de politie maakt nog steeds gebruik van deze drones voor de processen die zijn beschreven in het"
                " antwoord op vraag 2. Op basis van de informatie die de politie heeft verstrekt ziet de Minister van"
                " Justitie en Veiligheid geen aanleiding om de politie te vragen haar beslissing te heroverwegen."
            ),
            refers_to=(2,),
        ),
        SubQuestion(
            17,
            "Maakt Rijkswaterstaat nog steeds gebruik van deze drones? Zo ja, wat vindt u daarvan?",
            (
                "Rijkswaterstaat maakt nog gebruik van de DJI-drones. Alles afwegende, de maatregelen die"
                " Rijkswaterstaat genomen heeft en het toepassingsgebied van de drones (de beelden die met de drone"
                " gemaakt worden), is er voor de Minister van Infrastructuur en Waterstaat nu geen reden hiermee te"
                " stoppen."
            ),
        ),
        SubQuestion(
            18,
            (
                "Bent u het ermee eens dat de privacy van burgers juist door de politie bewaakt moet worden en dat het"
                " dus onwenselijk is als de politie gebruikmaakt van zulke onveilige drones?"
            ),
            (
                "De politie mag bij de uitvoering van haar taken op grond van artikel 3 Politiewet 2012 niet meer dan"
                " een beperkte inbreuk maken op de persoonlijke levenssfeer. Voor een meer dan beperkte inbreuk moet de"
                " politie een beroep doen op bijzondere bevoegdheden op grond van het Wetboek van Strafvordering. De"
                " politie zet de DJI-drones alleen in voor reguliere processen. Deze processen vallen wat betreft het"
                " maken van inbreuk maken op de persoonlijke levenssfeer binnen de kaders van artikel 3 Politiewet"
                " 2012. Ten aanzien van het inzetdoel wordt in het antwoord op vraag 4 aangegeven dat de drones niet"
                " worden gebruikt voor operaties waarbij vertrouwelijke informatie wordt verwerkt."
            ),
            answer_footnotes=(3,),
            refers_to=(4,),
        ),
        SubQuestion(
            19,
            "Bent u bereid om met de politie in gesprek te gaan over het niet meer gebruiken van deze drones?",
            (
                "Nee, zoals in de voorgaande antwoorden wordt beargumenteerd ziet de Minister van Justitie en"
                " Veiligheid daar geen reden toe."
            ),
        ),
        SubQuestion(
            20,
            (
                "Bent u het ermee eens dat het cruciaal is dat informatie over onze infrastructuur niet in handen komt"
                " van China?"
            ),
            (
                "Een open economie, een open wetenschappelijk klimaat en vrijhandel liggen sinds jaar en dag aan de"
                " basis van het Nederlandse verdienvermogen en onze sterke positie. Nederland profiteert van de kansen"
                " en mogelijkheden die dit biedt. Hierdoor kan Nederland gebruik maken van hoogwaardige materialen,"
                " technologie en kennis die in het buitenland – waaronder in China – wordt ontwikkeld.\n"
                "Ook voor de vitale infrastructuur is het wenselijk dat gebruik wordt gemaakt van kwalitatief"
                " hoogwaardige producten en diensten. Aangezien geen land beschikt over alle kennis en"
                " productiemiddelen om technologisch onafhankelijk te opereren, is een afhankelijkheid van buitenlandse"
                " technologie dan ook een gegeven. Naast de genoemde kansen, bestaat echter ook het risico dat met"
                " technologische toeleveringen de digitale spionage- en sabotagemogelijkheden toenemen.\n"
                "Om de weerbaarheid tegen deze dreiging te vergroten werkt de Minister van Justitie en Veiligheid samen"
                " met partners binnen en buiten de overheid aan de aanpak statelijke dreigingen, waarover uw Kamer op"
                " 3\xa0februari jl. de laatste stand van zaken heeft ontvangen. Zoals ook in het antwoord op vraag 2"
                " wordt benoemd, moet bij elke casus worden bezien hoe risico’s voor de nationale veiligheid"
                " beheersbaar kunnen worden gemaakt. Uitgangspunt is dat maatregelen die hiertoe genomen worden"
                " proportioneel zijn. Dit vergt een gedetailleerde analyse van de te beschermen belangen, de dreiging"
                " en de (huidige) weerbaarheid."
            ),
            answer_footnotes=(4, 5),
            refers_to=(2,),
        ),
        SubQuestion(
            21,
            "Bent u bereid om met Rijkswaterstaat in gesprek te gaan over het niet meer gebruiken van deze drones?",
            (
                "Gelet op het huidige toepassingsgebied van drones, de meerwaarde die deze inzet in praktijk heeft en"
                " de door Rijkswaterstaat genomen maatregelen is er voor de Minister van Infrastructuur en Waterstaat"
                " geen aanleiding om nu hierover in gesprek te gaan met Rijkswaterstaat."
            ),
        ),
        SubQuestion(
            22,
            "Kunt u terugkoppelen aan de Kamer wat er uit de gesprekken met de politie en Rijkswaterstaat is gekomen?",
            (
                "Mochten wij alsnog aanleiding zien om hierover in gesprek te gaan met de politie en/of"
                " Rijkswaterstaat, dan zullen wij uw Kamer daarover informeren."
            ),
        ),
    ),
    notices=(
        Notice(
            date(2021, 10, 21),
            (
                "Hierbij deel ik u mede namens de Minister van Infrastructuur en Waterstaat dat de schriftelijke vragen"
                " van het lid Kathmann (PvdA), van uw Kamer aan de Minister van Justitie en Veiligheid over mogelijke"
                " dataverzameling van Chinese drones (ingezonden 30\xa0september 2021) niet binnen de gebruikelijke"
                " termijn kunnen worden beantwoord, aangezien nog niet alle benodigde informatie is ontvangen. Ik"
                " streef ernaar de vragen zo spoedig mogelijk te beantwoorden."
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# 001: three submitters from two parties; footnote lines 1-5 with markers glued to the text:
# »1 and »2? in question 1, .3 Voor in answer 2, .4 In and .5Zoals in answer 3.
# ---------------------------------------------------------------------------------------------
EX001 = Kamervraag(
    zaak="2019Z04512",
    title="Het bericht dat slimme deurbellen onveilig zijn",
    submitted=date(2019, 3, 7),
    answered=date(2019, 4, 1),
    days=25,
    submitters=(
        Member("Sadet Karabulut", "SP"),
        Member("Ronald van Raak", "SP"),
        Member("Attje Kuiken", "PvdA"),
    ),
    answerers=(Answerer("Ferdinand Grapperhaus", (_minister("justitie en veiligheid"),), "CDA"),),
    topics=("criminaliteit", "ict", "openbare orde en veiligheid"),
    question_url=OB + "kv-tk-2019Z04512.html",
    answer_url=OB + "ah-tk-20182019-2187.html",
    question_document="kv-tk-2019Z04512",
    question_document_title="Het bericht dat slimme deurbellen onveilig zijn",
    answer_document="ah-tk-20182019-2187",
    answer_document_title=(
        "Antwoord op vragen van de leden Karabulut, Van Raak en Kuiken over het bericht dat slimme"
        " deurbellen onveilig zijn"
    ),
    footnotes=(
        Footnote(1, "https://nos.nl/artikel/2274933-slimme-deurbellen-sturen-beelden-onversleuteld-naar-servers-in-het-buitenland.html"),
        Footnote(2, "https://www.consumentenbond.nl/nieuws/2019/slimme-deurbellen-kunnen-onveilig-zijn"),
        Footnote(3, "https://autoriteitpersoonsgegevens.nl/nl/onderwerpen/camera-s/camera-bij-huis"),
        Footnote(4, "Kamerstuk 26 643, nr. 570"),
        Footnote(5, "Kamerstuk 26 643, nr. 532"),
    ),
    subquestions=(
        SubQuestion(
            1,
            (
                "Bent u bekend met de berichten «Slimme deurbellen sturen beelden onversleuteld naar servers in het"
                " buitenland» en «Slimme deurbellen kunnen onveilig zijn»?"
            ),
            "Ja.",
            question_footnotes=(1, 2),
        ),
        SubQuestion(
            2,
            (
                "Deelt u de mening dat een deurbelcamera die de stoep en de straat filmt een inbreuk kan maken op de"
                " persoonlijke levenssfeer van voorbijgangers? Welke regels gelden hiervoor?"
            ),
            (
                "Het filmen van de openbare weg met een camera bij huis kan een inbreuk maken op de persoonlijke"
                " levenssfeer. Voor het gebruik van een camera door een particulier geldt dat deze in beginsel alleen"
                " het eigen terrein mag filmen. Wie ook de openbare weg filmt, valt onder de Algemene verordening"
                " gegevensbescherming (AVG) en moet daarvoor een gerechtvaardigd belang hebben. Het toezicht hierop is"
                " belegd bij de Autoriteit Persoonsgegevens."
            ),
            answer_footnotes=(3,),
        ),
        SubQuestion(
            3,
            (
                "Is het waar dat de beelden van deze deurbellen zonder versleuteling worden verstuurd, zodat"
                " kwaadwillenden ze kunnen onderscheppen? Welke stappen onderneemt u om consumenten hiertegen te"
                " beschermen?"
            ),
            (
                "Uit het onderzoek van de Consumentenbond blijkt dat bij een aantal merken de beveiliging van de"
                " verbinding tekortschiet. Het is in de eerste plaats aan fabrikanten om veilige producten op de markt"
                " te brengen. Het kabinet heeft uw Kamer eerder geïnformeerd over de aanpak van onveilige slimme"
                " apparaten. Deze aanpak is uitgewerkt in de Roadmap digitaal veilige hard- en software, die uw Kamer"
                " op 2 april 2018 heeft ontvangen. Zoals in die roadmap aangegeven, zet het kabinet in op Europese"
                " certificering en op wettelijke eisen aan apparaten die met het internet zijn verbonden."
            ),
            answer_footnotes=(4, 5),
        ),
        SubQuestion(
            4,
            (
                "Bent u bereid om, samen met de Autoriteit Persoonsgegevens, voorlichting te geven over het"
                " verantwoorde gebruik van deurbelcamera’s?"
            ),
            (
                "Ja. Zoals aangegeven in het antwoord op vragen 2 en 3 gelden er al regels voor het filmen van de"
                " openbare weg en voor de beveiliging van slimme apparaten. De Autoriteit Persoonsgegevens geeft op"
                " haar website uitleg over camera’s bij huis. Ik zal samen met de Autoriteit Persoonsgegevens en de"
                " Consumentenbond bezien hoe deze informatie breder onder de aandacht kan worden gebracht."
            ),
            refers_to=(2, 3),
        ),
    ),
    notices=(),
)

# ---------------------------------------------------------------------------------------------
# 002: submitters without a party (``Jasper van Dijk , Renske Leijten``); two answerers with two
# roles each, a ministry name with a comma; combined answers and a cross-reference.
# ---------------------------------------------------------------------------------------------
EX002 = Kamervraag(
    zaak="2019Z11873",
    title="Uitspraken van de minister-president over het eigen risico",
    submitted=date(2019, 6, 4),
    answered=date(2019, 7, 2),
    days=28,
    submitters=(Member("Jasper van Dijk", None), Member("Renske Leijten", None)),
    answerers=(
        Answerer(
            "Mark Rutte",
            (
                Role("minister-president", "minister-president", None),
                Role("minister algemene zaken", "minister", "algemene zaken"),
            ),
            "VVD",
        ),
        Answerer(
            "Hugo de Jonge",
            (
                Role("viceminister-president", "viceminister-president", None),
                Role(
                    "minister volksgezondheid, welzijn en sport",
                    "minister",
                    "volksgezondheid, welzijn en sport",
                ),
            ),
            "CDA",
        ),
    ),
    topics=("organisatie en beleid", "verzekeringen", "zorg en gezondheid"),
    question_url=OB + "kv-tk-2019Z11873.html",
    answer_url=OB + "ah-tk-20182019-3296.html",
    question_document="kv-tk-2019Z11873",
    question_document_title="Uitspraken van de minister-president over het eigen risico",
    answer_document="ah-tk-20182019-3296",
    answer_document_title=(
        "Antwoord op vragen van de leden Van Dijk en Leijten over uitspraken van de"
        " minister-president over het eigen risico"
    ),
    footnotes=(),
    subquestions=(
        SubQuestion(
            1,
            (
                "Bent u bekend met uw uitspraak in een televisieprogramma dat het verlagen van het eigen risico"
                " «onbetaalbaar en onverstandig» is?"
            ),
            "Ja.",
        ),
        SubQuestion(
            2,
            (
                "Waarop baseert u de uitspraak dat het verlagen van het eigen risico onbetaalbaar is? Kunt u de"
                " berekeningen die hieraan ten grondslag liggen aan de Kamer sturen?"
            ),
            (
                "Het verlagen van het eigen risico leidt tot hogere zorguitgaven en daarmee tot een hogere zorgpremie"
                " voor alle verzekerden. Het Centraal Planbureau heeft bij de doorrekening van de"
                " verkiezingsprogramma’s laten zien dat het afschaffen van het eigen risico de collectieve zorguitgaven"
                " met enkele miljarden euro per jaar verhoogt. Het kabinet heeft er daarom voor gekozen het eigen"
                " risico niet te verlagen, maar het in de jaren 2019 tot en met 2021 te bevriezen op 385 euro.\n"
                "De berekeningen van het Centraal Planbureau zijn openbaar en op de website van het Centraal Planbureau"
                " te vinden."
            ),
        ),
        SubQuestion(
            3,
            "Deelt de Minister van Volksgezondheid, Welzijn en Sport de opvatting van de minister-president?",
            "Zie antwoord vraag 2.",
            refers_to=(2,),
            combined=True,
        ),
        SubQuestion(
            4,
            (
                "Hoeveel mensen zien volgens de meest recente cijfers af van zorg omdat zij het eigen risico niet"
                " kunnen betalen? Welke maatregelen neemt u om dit te voorkomen?"
            ),
            (
                "Uit onderzoek van het Nivel blijkt dat een klein deel van de verzekerden aangeeft wel eens zorg te"
                " hebben uitgesteld of daarvan te hebben afgezien vanwege het eigen risico. Of deze mensen daarmee ook"
                " noodzakelijke zorg hebben gemist, is uit dit onderzoek niet af te leiden. Ik laat dit nader"
                " onderzoeken en zal uw Kamer over de uitkomsten informeren.\n"
                "Om zorgmijding te voorkomen, kunnen verzekerden de betaling van het eigen risico over het jaar"
                " spreiden. Daarnaast vallen de huisarts, de wijkverpleging en de zorg voor kinderen tot 18 jaar buiten"
                " het eigen risico."
            ),
        ),
        SubQuestion(
            5,
            "Wat gaat u doen om te voorkomen dat mensen met een laag inkomen noodzakelijke zorg mijden?",
            "Zie het antwoord op vraag 4.",
            refers_to=(4,),
            combined=True,
        ),
        SubQuestion(
            6,
            "Bent u bereid het eigen risico in 2020 te verlagen? Zo nee, waarom niet?",
            (
                "Nee. Zoals aangegeven in het antwoord op vragen 2 en 3 leidt het verlagen van het eigen risico tot"
                " hogere premies voor alle verzekerden. Het kabinet kiest ervoor het eigen risico te bevriezen en"
                " daarnaast gerichte maatregelen te nemen, zoals het spreiden van de betaling en het verder beperken"
                " van het eigen risico bij een behandeling die uit meerdere onderdelen bestaat."
            ),
            refers_to=(2, 3),
        ),
    ),
    notices=(),
)

# ---------------------------------------------------------------------------------------------
# 003: ``minister voor medische zorg`` and ``staatssecretaris financiƫn`` (mojibake, repaired in
# the role and in the answer text).
# ---------------------------------------------------------------------------------------------
EX003 = Kamervraag(
    zaak="2019Z00412",
    title="Het bericht dat hulpmiddelen voor chronisch zieken duurder worden door de btw-verhoging",
    submitted=date(2019, 1, 10),
    answered=date(2019, 2, 19),
    days=40,
    submitters=(Member("Corinne Ellemeet", "GL"),),
    answerers=(
        Answerer(
            "Bruno Bruins",
            (Role("minister voor medische zorg", "minister voor", "medische zorg"),),
            "VVD",
        ),
        Answerer(
            "Menno Snel",
            (Role("staatssecretaris financiën", "staatssecretaris", "financiën"),),
            "D66",
        ),
    ),
    topics=("belasting", "geneesmiddelen en medische hulpmiddelen", "zorg en gezondheid"),
    question_url=OB + "kv-tk-2019Z00412.html",
    answer_url=OB + "ah-tk-20182019-1521.html",
    question_document="kv-tk-2019Z00412",
    question_document_title=(
        "Het bericht dat hulpmiddelen voor chronisch zieken duurder worden door de btw-verhoging"
    ),
    answer_document="ah-tk-20182019-1521",
    answer_document_title=(
        "Antwoord op vragen van het lid Ellemeet over het bericht dat hulpmiddelen voor chronisch"
        " zieken duurder worden door de btw-verhoging"
    ),
    footnotes=(),
    subquestions=(
        SubQuestion(
            1,
            "Kent u het bericht «Diabetespatiënt betaalt meer voor teststrips door hogere btw»?",
            "Ja.",
        ),
        SubQuestion(
            2,
            (
                "Klopt het dat het verlaagde btw-tarief per 1 januari 2019 is verhoogd van zes naar negen procent, en"
                " dat dit ook geldt voor medische hulpmiddelen zoals teststrips, stomamateriaal en"
                " incontinentiemateriaal?"
            ),
            (
                "Ja. Per 1 januari 2019 is het verlaagde btw-tarief verhoogd van 6 naar 9 procent. Het verlaagde tarief"
                " geldt onder meer voor hulpmiddelen die in hoofdzaak bestemd zijn voor gebruik door mensen met een"
                " handicap of een chronische ziekte. De Staatssecretaris van Financiën heeft bij de behandeling van het"
                " Belastingplan 2019 toegelicht waarom voor deze goederen geen uitzondering is gemaakt."
            ),
        ),
        SubQuestion(
            3,
            (
                "Hoeveel extra kosten betalen patiënten hierdoor per jaar? Worden deze kosten vergoed door de"
                " zorgverzekeraar?"
            ),
            (
                "Hulpmiddelen die onder de basisverzekering vallen, worden door de zorgverzekeraar vergoed; de patiënt"
                " merkt de btw-verhoging daarbij niet rechtstreeks. De hogere kosten voor verzekeraars werken door in"
                " de zorgpremie, maar dit effect is zeer beperkt. Voor hulpmiddelen die mensen zelf kopen, hangt het"
                " effect af van de prijs die de leverancier rekent."
            ),
        ),
        SubQuestion(
            4,
            "Bent u bereid om medische hulpmiddelen onder het nultarief te brengen?",
            (
                "Nee. De Europese btw-richtlijn staat niet toe dat Nederland een nultarief invoert voor medische"
                " hulpmiddelen. Het kabinet is daarnaast terughoudend met nieuwe uitzonderingen in de btw, zoals ook in"
                " het antwoord op vraag 2 is aangegeven."
            ),
            refers_to=(2,),
        ),
    ),
    notices=(),
)

# ---------------------------------------------------------------------------------------------
# 004: unanswered, one mededeling (with a no-break space in its text, as in the seed); names with
# diacritics.
# ---------------------------------------------------------------------------------------------
EX004 = Kamervraag(
    zaak="2019Z21877",
    title="Het bericht dat NS in de spits minder intercity’s laat rijden tussen Zwolle en Groningen",
    submitted=date(2019, 11, 12),
    answered=None,
    days=None,
    submitters=(Member("Cem Laçin", "SP"), Member("Suzanne Kröger", "GL")),
    answerers=(),
    topics=("spoor", "verkeer"),
    question_url=OB + "kv-tk-2019Z21877.html",
    answer_url=None,
    question_document="kv-tk-2019Z21877",
    question_document_title=(
        "Het bericht dat NS in de spits minder intercity’s laat rijden tussen Zwolle en Groningen"
    ),
    answer_document=None,
    answer_document_title=None,
    footnotes=(),
    subquestions=(
        SubQuestion(
            1,
            (
                "Bent u bekend met het bericht dat NS vanaf de nieuwe dienstregeling in de spits minder intercity’s"
                " laat rijden tussen Zwolle en Groningen?"
            ),
            None,
        ),
        SubQuestion(
            2,
            "Hoeveel reizigers worden hierdoor getroffen, en hoeveel vaker zullen zij in de trein moeten staan?",
            None,
        ),
        SubQuestion(
            3,
            (
                "Hoe verhoudt dit besluit zich tot de afspraken over zitplaatskans in de vervoerconcessie voor het"
                " hoofdrailnet?"
            ),
            None,
        ),
        SubQuestion(
            4,
            "Bent u bereid NS te vragen dit besluit terug te draaien? Zo nee, waarom niet?",
            None,
        ),
    ),
    notices=(
        Notice(
            date(2019, 12, 3),
            (
                "Hierbij deel ik u mede dat de schriftelijke vragen van de leden Laçin (SP) en Kröger (GroenLinks) over"
                " het bericht dat NS in de spits minder intercity’s laat rijden tussen Zwolle en Groningen (ingezonden"
                " 12\xa0november 2019) niet binnen de gebruikelijke termijn kunnen worden beantwoord, omdat voor de"
                " beantwoording informatie van NS en ProRail nodig is. Ik streef ernaar de vragen zo spoedig mogelijk"
                " te beantwoorden."
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# 005a / 005b: the same zaak crawled twice, first unanswered (one mededeling), later answered
# (two mededelingen). The questions are the same in both crawls.
# ---------------------------------------------------------------------------------------------
_WOLF_TITLE = "Het bericht dat een wolf op de Veluwe schapen heeft doodgebeten"
_WOLF_QUESTIONS = (
    "Bent u bekend met het bericht «Wolf doodt opnieuw schapen op de Veluwe»?",
    (
        "Hoeveel schapen zijn sinds de vestiging van de wolf op de Veluwe door een wolf gedood, en hoeveel schade is"
        " daarvoor aan schapenhouders vergoed?"
    ),
    (
        "Klopt het dat schapenhouders alleen een tegemoetkoming in de schade krijgen als zij preventieve maatregelen"
        " hebben genomen? Wie betaalt de kosten van deze maatregelen?"
    ),
    (
        "Welke afspraken heeft u met de provincies gemaakt over het Interprovinciaal wolvenplan, en wanneer wordt dit"
        " plan geactualiseerd?"
    ),
    (
        "Bent u bereid om, samen met de provincies, in overleg te gaan met schapenhouders over de bescherming van hun"
        " dieren?"
    ),
)
_WOLF_NOTICE_1 = Notice(
    date(2019, 5, 31),
    (
        "Hierbij deel ik u mede dat de schriftelijke vragen van de leden Lodders (VVD) en Geurts (CDA) over het bericht"
        " dat een wolf op de Veluwe schapen heeft doodgebeten (ingezonden 10 mei 2019) niet binnen de gebruikelijke"
        " termijn kunnen worden beantwoord, omdat voor de beantwoording afstemming met de provincies nodig is. Ik"
        " streef ernaar de vragen zo spoedig mogelijk te beantwoorden."
    ),
)
_WOLF_NOTICE_2 = Notice(
    date(2019, 6, 21),
    "Hierbij deel ik u mede dat de beantwoording van de schriftelijke vragen van de leden Lodders (VVD) en Geurts (CDA)"
    " over het bericht dat een wolf op de Veluwe schapen heeft doodgebeten (ingezonden 10 mei 2019) meer tijd vergt. De"
    " provincies werken aan een geactualiseerd Interprovinciaal wolvenplan, waarop ik in de antwoorden wil ingaan.\n"
    "Ik streef ernaar de vragen voor het zomerreces te beantwoorden.",
)

EX005A = Kamervraag(
    zaak="2019Z09418",
    title=_WOLF_TITLE,
    submitted=date(2019, 5, 10),
    answered=None,
    days=None,
    submitters=(Member("Helma Lodders", "VVD"), Member("Jaco Geurts", "CDA")),
    answerers=(),
    topics=("dieren", "landbouw", "natuur- en landschapsbeheer", "natuur en milieu"),
    question_url=OB + "kv-tk-2019Z09418.html",
    answer_url=None,
    question_document="kv-tk-2019Z09418",
    question_document_title=_WOLF_TITLE,
    answer_document=None,
    answer_document_title=None,
    footnotes=(),
    subquestions=tuple(
        SubQuestion(number, question, None) for number, question in enumerate(_WOLF_QUESTIONS, 1)
    ),
    notices=(_WOLF_NOTICE_1,),
)

EX005B = Kamervraag(
    zaak="2019Z09418",
    title=_WOLF_TITLE,
    submitted=date(2019, 5, 10),
    answered=date(2019, 7, 9),
    days=60,
    submitters=(Member("Helma Lodders", "VVD"), Member("Jaco Geurts", "CDA")),
    answerers=(
        Answerer("Carola Schouten", (_minister("landbouw, natuur en voedselkwaliteit"),), "CU"),
    ),
    topics=("dieren", "landbouw", "natuur- en landschapsbeheer", "natuur en milieu"),
    question_url=OB + "kv-tk-2019Z09418.html",
    answer_url=OB + "ah-tk-20182019-3467.html",
    question_document="kv-tk-2019Z09418",
    question_document_title=_WOLF_TITLE,
    answer_document="ah-tk-20182019-3467",
    answer_document_title=(
        "Antwoord op vragen van de leden Lodders en Geurts over het bericht dat een wolf op de"
        " Veluwe schapen heeft doodgebeten"
    ),
    footnotes=(),
    subquestions=(
        SubQuestion(
            1,
            "Bent u bekend met het bericht «Wolf doodt opnieuw schapen op de Veluwe»?",
            "Ja.",
        ),
        SubQuestion(
            2,
            (
                "Hoeveel schapen zijn sinds de vestiging van de wolf op de Veluwe door een wolf gedood, en hoeveel"
                " schade is daarvoor aan schapenhouders vergoed?"
            ),
            (
                "Volgens BIJ12, dat namens de provincies de schade door beschermde diersoorten afhandelt, zijn sinds de"
                " vestiging van de wolf op de Veluwe ruim zestig schapen door een wolf gedood. De provincie Gelderland"
                " heeft de betrokken schapenhouders hiervoor een tegemoetkoming in de schade toegekend."
            ),
        ),
        SubQuestion(
            3,
            (
                "Klopt het dat schapenhouders alleen een tegemoetkoming in de schade krijgen als zij preventieve"
                " maatregelen hebben genomen? Wie betaalt de kosten van deze maatregelen?"
            ),
            (
                "Nee. Op dit moment ontvangen schapenhouders een tegemoetkoming in de schade zonder dat zij eerst"
                " preventieve maatregelen hoeven te nemen. De provincies bereiden wel voor dat bij herhaalde schade in"
                " een gebied waar een wolf zich heeft gevestigd alleen nog een tegemoetkoming wordt gegeven als"
                " wolfwerende maatregelen zijn getroffen.\n"
                "De provincie Gelderland heeft een subsidieregeling opengesteld voor wolfwerende rasters in het"
                " leefgebied van de wolf."
            ),
        ),
        SubQuestion(
            4,
            (
                "Welke afspraken heeft u met de provincies gemaakt over het Interprovinciaal wolvenplan, en wanneer"
                " wordt dit plan geactualiseerd?"
            ),
            (
                "Het Interprovinciaal wolvenplan is een plan van de provincies, die sinds de decentralisatie van het"
                " natuurbeleid verantwoordelijk zijn voor de bescherming van de wolf en voor de tegemoetkoming in"
                " schade. Ik ben betrokken vanwege de internationale verplichtingen die voor de wolf gelden. De"
                " provincies actualiseren het plan dit jaar."
            ),
        ),
        SubQuestion(
            5,
            (
                "Bent u bereid om, samen met de provincies, in overleg te gaan met schapenhouders over de bescherming"
                " van hun dieren?"
            ),
            (
                "Ja. Zoals aangegeven in het antwoord op de vragen 3 en 4 liggen de bevoegdheden bij de provincies. Ik"
                " zal het overleg tussen de provincies en de schapenhouders graag ondersteunen."
            ),
            refers_to=(3, 4),
        ),
    ),
    notices=(_WOLF_NOTICE_1, _WOLF_NOTICE_2),
)

# ---------------------------------------------------------------------------------------------
# 006: the other indentation (bullets at 2 spaces, text at 4); a question whose sub-list was lost
# by the crawl (question 3 ends in "de volgende vragen te geven:"); minister zonder portefeuille.
# ---------------------------------------------------------------------------------------------
EX006 = Kamervraag(
    zaak="2019Z01187",
    title="Het bericht dat basisscholen klassen naar huis sturen door het lerarentekort",
    submitted=date(2019, 1, 24),
    answered=date(2019, 2, 18),
    days=25,
    submitters=(Member("Peter Kwint", "SP"),),
    answerers=(
        Answerer(
            "Arie Slob",
            (Role("minister zonder portefeuille", "minister zonder portefeuille", None),),
            "CU",
        ),
    ),
    topics=("basisonderwijs", "onderwijs en wetenschap"),
    question_url=OB + "kv-tk-2019Z01187.html",
    answer_url=OB + "ah-tk-20182019-1544.html",
    question_document="kv-tk-2019Z01187",
    question_document_title=(
        "Het bericht dat basisscholen klassen naar huis sturen door het lerarentekort"
    ),
    answer_document="ah-tk-20182019-1544",
    answer_document_title=(
        "Antwoord op vragen van het lid Kwint over het bericht dat basisscholen klassen naar huis"
        " sturen door het lerarentekort"
    ),
    footnotes=(),
    subquestions=(
        SubQuestion(
            1,
            "Bent u bekend met het bericht «Scholen sturen klassen naar huis door tekort aan leraren»?",
            "Ja.",
        ),
        SubQuestion(
            2,
            (
                "Hoeveel basisscholen in de grote steden hebben dit schooljaar klassen naar huis moeten sturen omdat er"
                " geen leraar beschikbaar was?"
            ),
            (
                "Er wordt niet centraal bijgehouden hoe vaak scholen klassen naar huis sturen. Uit een rondgang van de"
                " PO-Raad onder schoolbesturen in Amsterdam, Rotterdam, Den Haag en Utrecht blijkt dat dit in deze"
                " steden regelmatig voorkomt, vooral wanneer leraren ziek zijn en er geen vervanging te vinden is.\n"
                "De Inspectie van het Onderwijs volgt de situatie in de grote steden nauwgezet en spreekt"
                " schoolbesturen aan wanneer leerlingen structureel onderwijstijd missen."
            ),
        ),
        SubQuestion(
            3,
            (
                "Bent u bereid om in de eerstvolgende voortgangsrapportage over het lerarentekort in te gaan op de"
                " gevolgen voor leerlingen in de grote steden, en daarbij antwoord op de volgende vragen te geven:"
            ),
            (
                "Ja. In de voortgangsrapportage die uw Kamer voor de zomer ontvangt, ga ik in op de regionale"
                " verschillen in het lerarentekort en op de gevolgen voor leerlingen. Daarbij betrek ik de ervaringen"
                " van de scholen in de grote steden die ik in het antwoord op vraag 2 heb genoemd."
            ),
            refers_to=(2,),
        ),
        SubQuestion(
            4,
            (
                "Welke extra maatregelen neemt u om het lerarentekort in de grote steden op korte termijn terug te"
                " dringen?"
            ),
            (
                "Samen met de vier grote steden en de schoolbesturen werk ik aan een aanpak die zich richt op het"
                " behouden van leraren, het aantrekken van zij-instromers en het beter benutten van"
                " onderwijsassistenten. Ik informeer uw Kamer hierover in de voortgangsrapportage."
            ),
        ),
    ),
    notices=(),
)

# ---------------------------------------------------------------------------------------------
# 007: answered, but the page shows no answer texts; ``Kees van der Staaij`` (lower-case prefix).
# ---------------------------------------------------------------------------------------------
EX007 = Kamervraag(
    zaak="2019Z05301",
    title="Gokreclames rond sportwedstrijden",
    submitted=date(2019, 3, 18),
    answered=date(2019, 4, 10),
    days=23,
    submitters=(Member("Kees van der Staaij", "SGP"),),
    answerers=(
        Answerer(
            "Sander Dekker",
            (Role("minister voor rechtsbescherming", "minister voor", "rechtsbescherming"),),
            "VVD",
        ),
    ),
    topics=("media", "recreatie", "sport"),
    question_url=OB + "kv-tk-2019Z05301.html",
    answer_url=OB + "ah-tk-20182019-2265.html",
    question_document="kv-tk-2019Z05301",
    question_document_title="Gokreclames rond sportwedstrijden",
    answer_document="ah-tk-20182019-2265",
    answer_document_title=(
        "Antwoord op vragen van het lid Van der Staaij over gokreclames rond sportwedstrijden"
    ),
    footnotes=(),
    subquestions=(
        SubQuestion(
            1,
            "Bent u bekend met het bericht «Kinderen massaal bereikt met gokreclames tijdens voetbalwedstrijden»?",
            None,
        ),
        SubQuestion(
            2,
            (
                "Hoeveel reclame voor kansspelen is er tijdens live uitgezonden sportwedstrijden te zien, en hoeveel"
                " minderjarigen kijken naar deze uitzendingen?"
            ),
            None,
        ),
        SubQuestion(
            3,
            (
                "Deelt u de mening dat reclame voor kansspelen rond sportwedstrijden onwenselijk is, omdat daarmee veel"
                " minderjarigen worden bereikt?"
            ),
            None,
        ),
        SubQuestion(
            4,
            (
                "Bent u bereid in de lagere regelgeving bij de Wet kansspelen op afstand een verbod op te nemen op"
                " reclame voor kansspelen rond live uitgezonden sportwedstrijden?"
            ),
            None,
        ),
    ),
    notices=(),
)

# ---------------------------------------------------------------------------------------------
# 008: the long-ish one. Topic ``jongeren`` (under two themes) next to ``gezondheidsrisico's``
# (Zorg en gezondheid) and ``organisatie en beleid``; ``Kees Van der Staaij`` (upper-case prefix,
# the same person as in 007); the phrases ``antwoorden op vraag N`` and ``antwoord op de vragen N
# en M``.
# ---------------------------------------------------------------------------------------------
EX008 = Kamervraag(
    zaak="2019Z16702",
    title="Het toenemende gebruik van lachgas door jongeren",
    submitted=date(2019, 9, 5),
    answered=date(2019, 10, 22),
    days=47,
    submitters=(Member("Kees Van der Staaij", "SGP"), Member("Carla Dik-Faber", "CU")),
    answerers=(
        Answerer(
            "Paul Blokhuis",
            (
                Role(
                    "staatssecretaris volksgezondheid, welzijn en sport",
                    "staatssecretaris",
                    "volksgezondheid, welzijn en sport",
                ),
            ),
            "CU",
        ),
    ),
    topics=("gezondheidsrisico's", "jongeren", "organisatie en beleid"),
    question_url=OB + "kv-tk-2019Z16702.html",
    answer_url=OB + "ah-tk-20192020-412.html",
    question_document="kv-tk-2019Z16702",
    question_document_title="Het toenemende gebruik van lachgas door jongeren",
    answer_document="ah-tk-20192020-412",
    answer_document_title=(
        "Antwoord op vragen van de leden Van der Staaij en Dik-Faber over het toenemende gebruik"
        " van lachgas door jongeren"
    ),
    footnotes=(),
    subquestions=(
        SubQuestion(
            1,
            "Kent u het bericht «Steeds meer jongeren met zenuwschade in het ziekenhuis door lachgas»?",
            "Ja.",
        ),
        SubQuestion(
            2,
            (
                "Hoeveel jongeren zijn het afgelopen jaar met klachten door het gebruik van lachgas bij een huisarts of"
                " op de spoedeisende hulp terechtgekomen?"
            ),
            (
                "Er is geen volledige registratie van het aantal mensen dat met klachten door lachgasgebruik bij een"
                " arts komt. Het Nationaal Vergiftigingen Informatie Centrum (NVIC) ontving in 2018 ruim honderd"
                " meldingen over lachgas, ongeveer drie keer zoveel als in 2016. Daarnaast zien neurologen een toename"
                " van het aantal jonge patiënten met zenuwschade na langdurig en zwaar gebruik van lachgas."
            ),
        ),
        SubQuestion(
            3,
            "Welke gezondheidsrisico’s zijn er verbonden aan het recreatief gebruik van lachgas?",
            (
                "Bij incidenteel gebruik van kleine hoeveelheden zijn de risico’s beperkt, maar die zijn er wel:"
                " duizeligheid, verwardheid en in zeldzame gevallen bewusteloosheid. Het gebruik van lachgas in het"
                " verkeer leidt bovendien tot gevaarlijke situaties.\n"
                "Bij veelvuldig en zwaar gebruik kan een tekort aan vitamine B12 ontstaan, met blijvende zenuwschade"
                " als mogelijk gevolg."
            ),
        ),
        SubQuestion(
            4,
            "Deelt u de mening dat de verkoop van lachgas voor recreatief gebruik moet worden verboden?",
            (
                "Ja. Ik heb het Coördinatiepunt Assessment en Monitoring nieuwe drugs (CAM) gevraagd de risico’s van"
                " lachgas opnieuw te beoordelen. Het CAM concludeert dat de risico’s voor de gezondheid van de"
                " gebruiker en voor de openbare orde en veiligheid zijn toegenomen. Op basis van dit advies heb ik"
                " besloten lachgas op lijst II van de Opiumwet te plaatsen, met een uitzondering voor medisch en"
                " technisch gebruik."
            ),
        ),
        SubQuestion(
            5,
            "Wanneer wordt dit verbod van kracht?",
            (
                "Zoals aangegeven in het antwoord op vraag 4 wordt lachgas op lijst II van de Opiumwet geplaatst."
                " Daarvoor is een wijziging van de lijsten bij de Opiumwet nodig. Ik verwacht het ontwerpbesluit in"
                " 2020 aan uw Kamer voor te leggen."
            ),
            refers_to=(4,),
        ),
        SubQuestion(
            6,
            "Hoe wordt de handhaving geregeld, en welke rol krijgen gemeenten daarbij?",
            (
                "Tot het verbod van kracht is, kunnen gemeenten in de algemene plaatselijke verordening (APV) regels"
                " stellen over het gebruik en de verkoop van lachgas in de openbare ruimte. Veel gemeenten hebben dat"
                " inmiddels gedaan.\n"
                "Na het verbod ligt de handhaving bij de politie en het Openbaar Ministerie, zoals bij andere middelen"
                " op lijst II van de Opiumwet. Gemeenten blijven verantwoordelijk voor de handhaving van de regels in"
                " hun APV."
            ),
        ),
        SubQuestion(
            7,
            "Welke voorlichting over de risico’s van lachgas wordt aan jongeren gegeven?",
            (
                "Het Trimbos-instituut geeft via de website drugsinfo.nl en via scholen voorlichting over de risico’s"
                " van lachgas. Daarnaast voert het Trimbos-instituut in opdracht van mijn ministerie een campagne uit"
                " die zich richt op jongeren die uitgaan en op festivalbezoekers."
            ),
        ),
        SubQuestion(
            8,
            "Bent u bereid ook ouders actief te informeren over de risico’s van lachgas?",
            (
                "Ja. Het Trimbos-instituut ontwikkelt informatie voor ouders en opvoeders, die onder meer via de centra"
                " voor jeugd en gezin wordt verspreid. Voor de voorlichting aan jongeren zelf verwijs ik naar de"
                " antwoorden op vraag 7."
            ),
            refers_to=(7,),
        ),
        SubQuestion(
            9,
            "Kunt u de Kamer voor het einde van het jaar informeren over de voortgang?",
            (
                "Ja. Ik informeer uw Kamer voor het einde van dit jaar over de vervolgstappen, zoals aangegeven in het"
                " antwoord op de vragen 4 en 5."
            ),
            refers_to=(4, 5),
        ),
    ),
    notices=(),
)

# ---------------------------------------------------------------------------------------------
# 009: answered the next day, ``(na 1 dagen)``.
# ---------------------------------------------------------------------------------------------
EX009 = Kamervraag(
    zaak="2019Z08003",
    title="Het reisadvies voor Sri Lanka na de aanslagen op Eerste Paasdag",
    submitted=date(2019, 4, 23),
    answered=date(2019, 4, 24),
    days=1,
    submitters=(Member("Sjoerd Sjoerdsma", "D66"),),
    answerers=(Answerer("Stef Blok", (_minister("buitenlandse zaken"),), "VVD"),),
    topics=("internationaal", "reizen", "terrorisme"),
    question_url=OB + "kv-tk-2019Z08003.html",
    answer_url=OB + "ah-tk-20182019-2519.html",
    question_document="kv-tk-2019Z08003",
    question_document_title="Het reisadvies voor Sri Lanka na de aanslagen op Eerste Paasdag",
    answer_document="ah-tk-20182019-2519",
    answer_document_title=(
        "Antwoord op vragen van het lid Sjoerdsma over het reisadvies voor Sri Lanka na de"
        " aanslagen op Eerste Paasdag"
    ),
    footnotes=(),
    subquestions=(
        SubQuestion(
            1,
            (
                "Hoeveel Nederlanders verblijven op dit moment in Sri Lanka, en hoe worden zij door de ambassade in"
                " Colombo bijgestaan?"
            ),
            (
                "Het is niet precies bekend hoeveel Nederlanders zich in Sri Lanka bevinden. Reizigers die zich bij het"
                " ministerie hebben geregistreerd, zijn direct na de aanslagen via de Reisapp en per e-mail"
                " geïnformeerd. De ambassade in Colombo is bereikbaar voor Nederlanders die hulp nodig hebben en"
                " onderhoudt contact met de lokale autoriteiten."
            ),
        ),
        SubQuestion(
            2,
            "Waarom is het reisadvies voor Sri Lanka pas een dag na de aanslagen aangepast?",
            (
                "Het reisadvies is op de dag van de aanslagen zelf aangepast met een waarschuwing voor de actuele"
                " situatie. Op basis van de informatie die daarna beschikbaar kwam over de dreiging, is het reisadvies"
                " een dag later verder aangescherpt."
            ),
        ),
        SubQuestion(
            3,
            (
                "Kunt u deze vragen binnen een dag beantwoorden, gezien het grote aantal Nederlandse toeristen in Sri"
                " Lanka?"
            ),
            "Ja.",
        ),
    ),
    notices=(),
)


EXPECTED: dict[str, Kamervraag] = {
    "000_7b937e3f333bd3c8.txt": SEED,
    "001_6d703a94c753a9df.txt": EX001,
    "002_4474cadab59a34d5.txt": EX002,
    "003_45781f52208bd9d0.txt": EX003,
    "004_e72034a5b8684387.txt": EX004,
    "005a_1c27f41938a21a50.txt": EX005A,
    "005b_092993d8bd7af6e5.txt": EX005B,
    "006_5ba682804d63efbd.txt": EX006,
    "007_80444f49666af945.txt": EX007,
    "008_5bb3b0911e68023e.txt": EX008,
    "009_e83b7efb311f44a9.txt": EX009,
}


def _parse(name: str) -> Kamervraag:
    return parse_page((EXAMPLES / name).read_bytes().decode("utf-8"))


def _assert_same(actual: Kamervraag, expected: Kamervraag) -> None:
    """Field by field first, sub-question by sub-question, so a failure names what differs."""
    assert isinstance(actual, Kamervraag)
    for f in dataclasses.fields(Kamervraag):
        if f.name in ("subquestions", "warnings"):
            continue
        assert getattr(actual, f.name) == getattr(expected, f.name), f.name
    assert [s.number for s in actual.subquestions] == [s.number for s in expected.subquestions]
    for got, want in zip(actual.subquestions, expected.subquestions, strict=True):
        for f in dataclasses.fields(SubQuestion):
            if f.compare:
                assert getattr(got, f.name) == getattr(want, f.name), f"vraag {want.number}: {f.name}"
    assert actual == expected


def test_every_example_has_an_expectation():
    """A page added to examples/ needs its expected record here too."""
    assert sorted(p.name for p in EXAMPLES.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parse_example(name: str):
    _assert_same(_parse(name), EXPECTED[name])


def test_seed_spot_checks():
    """A few seed facts spelled out on their own, readable when the full comparison fails."""
    record = _parse("000_7b937e3f333bd3c8.txt")
    assert record.is_answered
    assert len(record.subquestions) == 22
    first = record.subquestions[0]
    assert first.question.endswith(
        "mogelijk onveilig» en «Politie gebruikt Chinese drones die mogelijk onveilig zijn»?"
    )
    assert first.question_footnotes == (1, 2)
    q20 = record.subquestions[19]
    assert q20.answer_footnotes == (4, 5)
    assert "heeft ontvangen. Zoals ook in het antwoord op vraag 2" in q20.answer
    assert record.subquestions[9].refers_to == (4,)
    assert record.subquestions[9].combined is False


def test_same_zaak_crawled_twice():
    """005a and 005b are one zaak; the later crawl is the answered, more complete one."""
    early = _parse("005a_1c27f41938a21a50.txt")
    late = _parse("005b_092993d8bd7af6e5.txt")
    assert early.zaak == late.zaak == "2019Z09418"
    assert not early.is_answered and late.is_answered
    assert [s.question for s in early.subquestions] == [s.question for s in late.subquestions]
    assert all(s.answer is None for s in early.subquestions)
    assert len(early.notices) == 1 and len(late.notices) == 2


def test_mojibake_repaired():
    record = _parse("003_45781f52208bd9d0.txt")
    assert "ƫ" not in repr(dataclasses.replace(record, warnings=()))
    assert record.answerers[1].roles[0].portfolio == "financiën"


def test_damage_from_other_lead_bytes_is_repaired_to_letters():
    """UTF-8 read as cp1252 with any two-byte letter: ş (C5 9F) shows as "ÅŸ"."""
    assert repair_encoding("Dilan YeÅŸilgÃ¶z-Zegerius") == ("Dilan Yeşilgöz-Zegerius", True)
    assert repair_encoding("Ãœber") == ("Über", True)
    assert repair_encoding("Â©") == ("©", True)
    assert repair_encoding("Ö® and Åsa") == ("Ö® and Åsa", False)  # no letter made: as printed


@pytest.mark.parametrize("damaged, repaired", [
    ("de risicoâ€™s van drones", "de risico’s van drones"),  # three bytes: ’ (E2 80 99)
    ("2019 â€“ 2021", "2019 – 2021"),
    ("â‚¬ 5 miljoen", "€ 5 miljoen"),
    ("Ã©Ã©n financiƫle risicoâ€™s", "één financiële risico’s"),  # ƫ (not a decoding mistake) and ftfy together
])
def test_three_byte_mojibake_is_repaired(damaged, repaired):
    assert repair_encoding(damaged) == (repaired, True)


@pytest.mark.parametrize("text", ["één naïeve coöperatie", "intercity’s – € 5", "à la carte", "Åsa ©"])
def test_sound_text_is_left_alone(text):
    assert repair_encoding(text) == (text, False)


def test_decomposed_diacritics_are_composed_before_anything_is_read():
    text = (EXAMPLES / "003_45781f52208bd9d0.txt").read_text(encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", text.replace("ƫ", "ë"))
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    record = parse_page(decomposed)
    assert record.answerers[1].roles[0].portfolio == "financiën"
    assert record == parse_page(text.replace("ƫ", "ë"))


@pytest.mark.parametrize("answer, refers_to, combined", [
    ("Zie het antwoord op de vragen 2 tot en met 4.", (2, 3, 4), True),
    ("Zie antwoord vraag 2 t/m 4.", (2, 3, 4), True),
    ("Zie de antwoorden op vraag 2 en vraag 4.", (2, 4), True),
    ("Zie het antwoord op vragen 2, 3 en 5.", (2, 3, 5), True),
    ("Zie antwoord vraag 2.", (2,), True),
    ("Zie antwoord op vraag 2 en 3. Daarnaast geldt het volgende.", (2, 3), False),
    # another question's sub-questions are not this one's
    ("Zie mijn antwoord op vraag 3 van de leden Van Dam en Kuiken (2021Z15000).", (), False),
    ("Zie het antwoord op vraag 2 (2021Z15000).", (), False),
])
def test_references_between_answers(answer, refers_to, combined):
    """The seed page with the answer to its first sub-question replaced."""
    text = (EXAMPLES / "000_7b937e3f333bd3c8.txt").read_text(encoding="utf-8")
    first = parse_page(text).subquestions[0]
    record = parse_page(text.replace(first.answer, answer, 1))
    assert (record.subquestions[0].refers_to, record.subquestions[0].combined) == (refers_to, combined)
