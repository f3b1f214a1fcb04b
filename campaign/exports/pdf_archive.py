"""What makes a delivery PDF archival and self-describing: PDF/A-2u and PDF/UA-1 metadata.

* XMP metadata with the title (``dc:title``), the language, the creation
  date and tool, the PDF/A-2u identification and the PDF/UA-1 one (with the
  extension schema PDF/A requires for the ``pdfuaid`` namespace), agreeing
  with the Info dictionary.
* An output intent (GTS_PDFA1) embedding an sRGB profile: ICC v2 from
  Debian's ``icc-profiles-free`` (``bin/system-deps``), read from disk,
  never fetched.
* Chinese, Japanese and Korean fonts (CFF outlines) are written with the
  standard ``Identity-H`` encoding and their glyphs' CIDs as codes: fpdf2
  writes them with a CMap of its own, which pdfminer.six and several viewers
  cannot read (the names vanished).

Whether a file meets PDF/A and PDF/UA fully is for a validator such as
veraPDF to say; it is not available from this project's package registries.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any, BinaryIO

from fpdf.enums import OutputIntentSubType
from fpdf.output import OutputProducer, PDFFont, PDFICCProfile
from fpdf.syntax import Name

if TYPE_CHECKING:
    from fpdf import FPDF

# Marks a page whose content DeliveryPdf already compressed (when the page was done).
PACKED = b"%packed\n"

SRGB_PROFILE = "/usr/share/color/icc/sRGB.icc"
PDFA_PART, PDFA_CONFORMANCE = 2, "U"


class ProfileMissing(RuntimeError):
    """The sRGB ICC profile is not installed (``bin/system-deps`` installs it)."""


def srgb_profile() -> PDFICCProfile:
    if not os.path.exists(SRGB_PROFILE):
        raise ProfileMissing(f"{SRGB_PROFILE} is missing: install icc-profiles-free")
    with open(SRGB_PROFILE, "rb") as f:
        return PDFICCProfile(contents=f.read(), n=3, alternate="DeviceRGB")


def add_srgb_intent(pdf: FPDF) -> None:
    pdf.add_output_intent(
        OutputIntentSubType.PDFA,
        output_condition_identifier="sRGB IEC61966-2.1",
        output_condition="sRGB IEC61966-2.1",
        registry_name="http://www.color.org",
        dest_output_profile=srgb_profile(),
        info="sRGB IEC61966-2.1",
    )


def xmp(*, title: str, language: str, creator: str, producer: str, created: datetime) -> str:
    """The document's XMP packet body (fpdf2 adds the xpacket wrapper)."""
    when = created.isoformat(timespec="seconds").replace("+00:00", "Z")
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <pdfaid:part>{PDFA_PART}</pdfaid:part>
   <pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"""


class FileBuffer:
    """Where the writer's bytes go: straight to a file, counted (for the cross-reference
    table) and hashed (for the file identifier), instead of into one bytearray: at
    100,000 names that spares the size of the file in memory, and its copies."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.size = 0
        self.md5 = hashlib.md5(usedforsecurity=False)

    def __iadd__(self, data: bytes) -> FileBuffer:
        self.file.write(data)
        self.md5.update(data)
        self.size += len(data)
        return self

    def __len__(self) -> int:
        return self.size

    def file_id(self, created: datetime) -> str:
        """fpdf2's identifier: the MD5 of the bytes before the trailer, and the time."""
        digest = self.md5.copy()
        digest.update(created.strftime("%Y%m%d%H%M%S").encode())
        value = digest.hexdigest().upper()
        return f"<{value}><{value}>"


class _Offsets:
    """Each object's offset in the file, by object number, in an array of integers: fpdf2
    keeps a dictionary, 100 bytes an object, with 400,000 objects for 100,000 names."""

    def __init__(self) -> None:
        self.values = array("Q")

    def __setitem__(self, number: int, offset: int) -> None:
        while len(self.values) <= number:
            self.values.append(0)
        self.values[number] = offset

    def __getitem__(self, number: int) -> int:
        return self.values[number]

    def __len__(self) -> int:
        return len(self.values)


class ArchivalOutput(OutputProducer):
    """fpdf2's writer, writing to a file as it goes, with CFF (CJK) fonts in Identity-H.

    The codes written for those fonts are already their glyphs' CIDs (see
    ``DeliveryPdf._code``), so the CMap fpdf2 adds maps each code to itself
    and can be replaced by the predefined identity; it stays in the file,
    unreferenced.
    """

    def __init__(self, fpdf: FPDF, file: BinaryIO | None = None) -> None:
        super().__init__(fpdf)
        self.offsets = _Offsets()  # type: ignore[assignment]
        if file is not None:
            self.buffer = FileBuffer(file)  # type: ignore[assignment]

    def _add_pages(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Pages whose content is already compressed are written as they are."""
        pages = super()._add_pages(*args, **kwargs)
        for page in pages:
            stream = page.contents
            if stream._contents.startswith(PACKED):
                stream._contents = stream._contents[len(PACKED) :]
                stream.filter = Name("FlateDecode")
                stream.length = len(stream._contents)
        return pages

    def _add_structure_tree(self) -> Any:
        """Add the structure tree's objects, without fpdf2's size-tracing label for each."""
        root = None
        for element in self.fpdf.struct_builder:
            root = root or element
            self._add_pdf_obj(element)
        return root

    def _add_fonts(self, *args: Any, **kwargs: Any) -> dict[int, Any]:
        fonts = super()._add_fonts(*args, **kwargs)
        for font in fonts.values():
            if isinstance(font, PDFFont) and not isinstance(font.encoding, Name | None):
                font.encoding = Name("Identity-H")
        return fonts
