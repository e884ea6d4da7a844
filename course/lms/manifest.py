"""``imsmanifest.xml`` for SCORM 1.2 and SCORM 2004 4th edition, and the metadata files.

Written as text, not through ElementTree, so that the exact form real LMS parsers expect is
under our control (research/lms.md, §1.4): the content-packaging namespace is the *default*
namespace (P2: no ``ns0:``), the ADL namespace is bound to ``adlcp`` (P3), ``schemaversion`` is
exactly ``1.2`` or ``2004 4th Edition`` (P4), ``scormtype``/``scormType`` is spelled per version
(P5), every item has ``isvisible="true"`` (P7), and every text is escaped (P14).

Metadata (title, description, typical learning time) goes into one file per module (and one
for the course) referenced with ``adlcp:location``: IMS MD 1.2.1 for 1.2, IEEE LOM for 2004
(inline IMS MD cannot be schema-checked: P18).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

NS = {
    "1.2": {
        "cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "md": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
    },
    "2004": {
        "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
        "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
        "lom": "http://ltsc.ieee.org/xsd/LOM",
    },
}
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_VERSION = {"1.2": "1.2", "2004": "2004 4th Edition"}
SCORM_TYPE = {"1.2": "scormtype", "2004": "scormType"}
LOCATIONS = {
    "1.2": "{cp} imscp_rootv1p1p2.xsd {md} imsmd_rootv1p2p1.xsd {adlcp} adlcp_rootv1p2.xsd",
    "2004": "{cp} imscp_v1p1.xsd {adlcp} adlcp_v1p3.xsd {adlseq} adlseq_v1p3.xsd "
    "{adlnav} adlnav_v1p3.xsd {imsss} imsss_v1p0.xsd",
}


@dataclass
class Sco:
    """One SCO: a module page, its metadata and whether it has a scored quiz."""

    slug: str
    title: str
    href: str
    description: str
    minutes: int
    scored: bool
    objectives: list[str] = field(default_factory=list)  # SCORM ids of its objectives
    metadata: str = ""  # file name of its metadata, set by the package builder


@dataclass
class Package:
    """What a manifest describes: a title, its SCOs, the shared files, the package metadata."""

    identifier: str
    version: str
    title: str
    description: str
    minutes: int
    scos: list[Sco]
    shared: list[str] = field(default_factory=list)
    metadata: str = ""


def ncname(text: str) -> str:
    """A valid xs:ID fragment from a slug (letters, digits, ``-``, ``_``, ``.``)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", text)


def iso_duration(minutes: int) -> str:
    """``PT1H30M`` for 90 minutes (ISO 8601, as LOM and IMS MD expect)."""
    hours, rest = divmod(int(minutes), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def _text(value: str) -> str:
    return escape(" ".join(str(value).split()))


def manifest(pkg: Package, version: str, mastery: int) -> str:
    """The ``imsmanifest.xml`` text of ``pkg`` for SCORM ``version`` ("1.2" or "2004")."""
    ns = NS[version]
    declared = [f'xmlns="{ns["cp"]}"', f'xmlns:adlcp="{ns["adlcp"]}"']
    if version == "2004":
        declared += [f'xmlns:{p}="{ns[p]}"' for p in ("adlseq", "adlnav", "imsss")]
    declared += [f'xmlns:xsi="{XSI}"', f'xsi:schemaLocation="{LOCATIONS[version].format(**ns)}"']
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<manifest identifier={quoteattr(ncname(pkg.identifier))} "
        f"version={quoteattr(pkg.version)}",
        *[f"  {d}" for d in declared[:-1]],
        f"  {declared[-1]}>",
        "  <metadata>",
        "    <schema>ADL SCORM</schema>",
        f"    <schemaversion>{SCHEMA_VERSION[version]}</schemaversion>",
        f"    <adlcp:location>{escape(pkg.metadata)}</adlcp:location>",
        "  </metadata>",
        '  <organizations default="ORG-COURS">',
        '    <organization identifier="ORG-COURS">',
        f"      <title>{_text(pkg.title)}</title>",
    ]
    for sco in pkg.scos:
        out += _item(sco, version, mastery)
    if version == "2004":
        out += [
            "      <imsss:sequencing>",
            '        <imsss:controlMode choice="true" flow="true"/>',
            "      </imsss:sequencing>",
        ]
    out += ["    </organization>", "  </organizations>", "  <resources>"]
    attr = f"adlcp:{SCORM_TYPE[version]}"
    for sco in pkg.scos:
        out += [
            f'    <resource identifier="RES-{ncname(sco.slug)}" type="webcontent" '
            f'{attr}="sco" href={quoteattr(sco.href)}>',
            f"      <file href={quoteattr(sco.href)}/>",
            '      <dependency identifierref="RES-COMMUN"/>',
            "    </resource>",
        ]
    out.append(f'    <resource identifier="RES-COMMUN" type="webcontent" {attr}="asset">')
    out += [f"      <file href={quoteattr(path)}/>" for path in pkg.shared]
    out += ["    </resource>", "  </resources>", "</manifest>", ""]
    return "\n".join(out)


def _item(sco: Sco, version: str, mastery: int) -> list[str]:
    slug = ncname(sco.slug)
    out = [
        f'      <item identifier="ITEM-{slug}" identifierref="RES-{slug}" isvisible="true">',
        f"        <title>{_text(sco.title)}</title>",
        "        <metadata>",
        f"          <adlcp:location>{escape(sco.metadata)}</adlcp:location>",
        "        </metadata>",
    ]
    if sco.scored and version == "1.2":
        out.append(f"        <adlcp:masteryscore>{int(mastery)}</adlcp:masteryscore>")
    if sco.scored and version == "2004":
        out += [
            "        <imsss:sequencing>",
            "          <imsss:objectives>",
            '            <imsss:primaryObjective objectiveID="maitrise" satisfiedByMeasure="true">',
            f"              <imsss:minNormalizedMeasure>{mastery / 100:g}"
            "</imsss:minNormalizedMeasure>",
            "            </imsss:primaryObjective>",
            *[f"            <imsss:objective objectiveID={quoteattr(o)}/>" for o in sco.objectives],
            "          </imsss:objectives>",
            "        </imsss:sequencing>",
        ]
    out.append("      </item>")
    return out


def metadata(version: str, title: str, description: str, minutes: int, language: str) -> str:
    """The metadata file: IMS MD 1.2.1 (SCORM 1.2) or IEEE LOM (SCORM 2004)."""
    lang = quoteattr(language)
    if version == "1.2":
        ns = NS["1.2"]["md"]
        body = [
            f'<lom xmlns="{ns}" xmlns:xsi="{XSI}"',
            f'  xsi:schemaLocation="{ns} imsmd_rootv1p2p1.xsd">',
            "  <general>",
            f"    <title><langstring xml:lang={lang}>{_text(title)}</langstring></title>",
            f"    <language>{escape(language)}</language>",
            f"    <description><langstring xml:lang={lang}>{_text(description)}"
            "</langstring></description>",
            "  </general>",
            "  <educational>",
            "    <typicallearningtime>",
            f"      <datetime>{iso_duration(minutes)}</datetime>",
            "    </typicallearningtime>",
            "  </educational>",
            "</lom>",
        ]
    else:
        ns = NS["2004"]["lom"]
        body = [
            f'<lom xmlns="{ns}" xmlns:xsi="{XSI}"',
            f'  xsi:schemaLocation="{ns} lom.xsd">',
            "  <general>",
            f"    <title><string language={lang}>{_text(title)}</string></title>",
            f"    <language>{escape(language)}</language>",
            f"    <description><string language={lang}>{_text(description)}</string></description>",
            "  </general>",
            "  <educational>",
            "    <typicalLearningTime>",
            f"      <duration>{iso_duration(minutes)}</duration>",
            "    </typicalLearningTime>",
            "  </educational>",
            "</lom>",
        ]
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(body) + "\n"
