"""Reading untrusted XML: one hardened lxml parser for every entry point (iSpring REST bodies and SOAP envelopes)
and for the verifier and the proxy reading what an upstream answered."""

from __future__ import annotations

from lxml import etree

from ..errors import BadRequestError


class MalformedXmlError(BadRequestError):
    """The body is not well-formed XML."""


class HostileXmlError(BadRequestError):
    """The body carries a DOCTYPE: the way in for external entities (XXE) and entity expansion (billion laughs)."""


def _parser() -> etree.XMLParser:
    # Nothing is loaded, fetched or expanded while parsing; a DTD that was merely declared is refused afterwards.
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )


def parse_xml(data: bytes) -> etree._Element:
    if not data or not data.strip():
        raise MalformedXmlError("the body is empty")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:  # libxml2's own entity-amplification guard lands here too
        raise MalformedXmlError(f"the body is not well-formed XML: {error}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise HostileXmlError("XML with a DOCTYPE is not accepted")
    return root


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname
