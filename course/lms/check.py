"""Checks of a SCORM package: XSD validity (lxml) and the rules the XSDs cannot express.

``xsd_errors`` validates a manifest against the official schema files vendored in
``course/lms/schemas`` (unmodified copies of ``shared/lms-schemas``), working around their
known defects without editing them: ADL's ``imscp_v1p1.xsd`` imports ``xml.xsd`` from the
web (redirected to the local copy), and the 1.2 ``ims_xml.xsd`` cannot be loaded by libxml2
(replaced by the W3C ``xml.xsd``). Nothing is fetched from the network.

``package_problems`` adds what research/lms.md shows breaks real LMSs although the XSDs
accept it: manifest at the root (P1), CP namespace as the default one (P2), conventional
prefixes (P3), exact ``schemaversion`` (P4), ``scormtype`` spelling (P5), ``identifierref``
targets (P6), ``isvisible="true"`` (P7), files listed ⇔ files present.

lxml is needed (a test dependency); it is imported only here.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache

from . import SCHEMAS
from .manifest import NS, SCHEMA_VERSION, SCORM_TYPE
from .package import SCHEMA_DIRS

XML_XSD = SCHEMAS / "scorm2004-4th" / "xml.xsd"
WRAPPED = {
    "1.2": ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd"),
    "2004": (
        "imscp_v1p1.xsd",
        "adlcp_v1p3.xsd",
        "adlseq_v1p3.xsd",
        "adlnav_v1p3.xsd",
        "imsss_v1p0.xsd",
    ),
    "lom": ("lom.xsd",),
}
PREFIXES = {"adlcp", "adlseq", "adlnav", "imsss"}


def _parser():
    from lxml import etree

    class Local(etree.Resolver):
        def resolve(self, url, pubid, context):
            if (
                url == "http://www.w3.org/2001/xml.xsd"
                or url.endswith("/ims_xml.xsd")
                or url == "ims_xml.xsd"
            ):
                return self.resolve_filename(str(XML_XSD), context)
            if re.match(r"^[a-z]+://", url) and not url.startswith("file:"):
                raise OSError(f"accès réseau refusé : {url}")
            return None

    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    parser.resolvers.add(Local())
    return parser


@cache
def schema(kind: str):
    """The compiled schema for "1.2", "2004" (manifests) or "lom" (2004 metadata)."""
    from lxml import etree

    folder = SCHEMAS / SCHEMA_DIRS["2004" if kind == "lom" else kind]
    imports = []
    for name in WRAPPED[kind]:
        root = etree.parse(str(folder / name), _parser()).getroot()
        imports.append(
            f'<xs:import namespace="{root.get("targetNamespace")}" '
            f'schemaLocation="{(folder / name).as_uri()}"/>'
        )
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'targetNamespace="urn:course:lms:wrapper">' + "".join(imports) + "</xs:schema>"
    )
    doc = etree.parse(io.BytesIO(wrapper.encode()), _parser(), base_url=str(folder) + "/")
    return etree.XMLSchema(doc)


def xsd_errors(data: bytes, kind: str) -> list[str]:
    """Validation errors of an XML document (empty list: valid)."""
    from lxml import etree

    validator = schema(kind)
    doc = etree.parse(io.BytesIO(data), _parser())
    if validator.validate(doc):
        return []
    return [f"ligne {e.line} : {e.message}" for e in validator.error_log]


def package_problems(zip_data: bytes, version: str) -> list[str]:
    """Every rule of research/lms.md a package breaks (empty list: none)."""
    from lxml import etree

    archive = zipfile.ZipFile(io.BytesIO(zip_data))
    names = set(archive.namelist())
    if "imsmanifest.xml" not in names:
        return ["imsmanifest.xml absent de la racine du zip (P1)"]
    raw = archive.read("imsmanifest.xml")
    problems = [f"XSD : {e}" for e in xsd_errors(raw, version)]
    root = etree.fromstring(raw, _parser())
    ns = NS[version]
    cp = "{" + ns["cp"] + "}"
    if root.prefix is not None or root.tag != cp + "manifest":
        problems.append(f"élément racine {root.tag!r} avec préfixe {root.prefix!r} (P2)")
    for element in root.iter(etree.Element):
        for prefix, uri in (element.nsmap or {}).items():
            wanted = next((p for p in PREFIXES if ns.get(p) == uri), None)
            if wanted and prefix != wanted:
                problems.append(f"espace {uri} lié au préfixe {prefix!r}, attendu {wanted!r} (P3)")
            if uri == ns["cp"] and prefix is not None:
                problems.append(f"espace CP lié au préfixe {prefix!r} (P2)")
    version_text = root.findtext(f"{cp}metadata/{cp}schemaversion")
    if version_text != SCHEMA_VERSION[version]:
        problems.append(f"schemaversion {version_text!r} ≠ {SCHEMA_VERSION[version]!r} (P4)")
    adlcp = "{" + ns["adlcp"] + "}"
    resources = {r.get("identifier"): r for r in root.iter(cp + "resource")}
    for resource in resources.values():
        other = SCORM_TYPE["2004" if version == "1.2" else "1.2"]
        if resource.get(adlcp + other) is not None:
            problems.append(f"{resource.get('identifier')} : attribut adlcp:{other} (P5)")
        if resource.get(adlcp + SCORM_TYPE[version]) not in ("sco", "asset"):
            problems.append(f"{resource.get('identifier')} : adlcp:{SCORM_TYPE[version]} absent")
        listed = {f.get("href") for f in resource.iter(cp + "file")}
        if resource.get("href") and resource.get("href") not in listed:
            problems.append(f"{resource.get('identifier')} : href absent de ses <file>")
        for dependency in resource.iter(cp + "dependency"):
            if dependency.get("identifierref") not in resources:
                problems.append(f"dépendance inconnue {dependency.get('identifierref')}")
    for item in root.iter(cp + "item"):
        score = item.findtext(adlcp + "masteryscore")
        if score is not None and not 0 <= float(score) <= 100:
            problems.append(f"{item.get('identifier')} : masteryscore {score} hors de 0–100")
        if item.get("isvisible") != "true":
            problems.append(f'{item.get("identifier")} : isvisible="true" manquant (P7)')
        ref = item.get("identifierref")
        if ref is not None and (ref not in resources or not resources[ref].get("href")):
            problems.append(
                f"{item.get('identifier')} : identifierref {ref!r} sans ressource lancée (P6)"
            )
    referenced = {f.get("href") for f in root.iter(cp + "file")}
    referenced |= {loc.text for loc in root.iter(adlcp + "location")}
    for href in sorted(referenced - names):
        problems.append(f"{href} référencé par le manifeste mais absent du zip")
    schema_names = {
        p.relative_to(SCHEMAS / SCHEMA_DIRS[version]).as_posix()
        for p in (SCHEMAS / SCHEMA_DIRS[version]).rglob("*")
        if p.is_file()
    }
    for name in sorted(names - referenced - schema_names - {"imsmanifest.xml"}):
        problems.append(f"{name} présent dans le zip mais absent du manifeste")
    missing = schema_names - names
    if missing:
        problems.append(f"fichiers de schéma absents de la racine : {sorted(missing)}")
    return problems
