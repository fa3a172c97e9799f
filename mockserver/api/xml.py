"""Untrusted XML: one hardened lxml parser for every entry point (iSpring REST bodies and SOAP envelopes, and the
verifier and the proxy reading what an upstream answered), and one rule for text the mock writes into XML
(`xml_text`), which every XML writer (REST answers and errors, SOAP results and faults) applies."""

from __future__ import annotations

import re

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
    tag = element.tag  # `{namespace}name` or `name`: cut here, 10x cheaper than etree.QName on large bodies
    return tag.rpartition("}")[2] if isinstance(tag, str) else etree.QName(element).localname


# What XML 1.0 cannot hold: C0 controls but tab, CR, LF; lone surrogates; U+FFFE and U+FFFF. lxml refuses such a
# string outright (ValueError), so one in an echoed ID or a stored value would turn the whole answer into a 500.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    """`value` as text XML 1.0 can carry: each character it cannot written as U+FFFD (visible, unlike dropping it)."""
    text = value if isinstance(value, str) else str(value)
    # Fast path for the render loops: every printable character is one XML allows (checked over all of Unicode in
    # tests/test_hardening.py); tab, CR, LF and the rest go through the pattern.
    return text if text.isprintable() else _NOT_XML.sub("\ufffd", text)
