"""The structure tree of a tagged PDF: what each piece of a page is (ISO 32000-1, 14.7-14.8).

A document is a tree of structure elements (Document, H1, P, Table, TR,
TH, TD, L, LI...), whose leaves are marked-content sequences on the pages,
numbered per page (MCID). A parent tree maps each page's MCIDs back to
their elements, so a reader going from a page finds the structure.

fpdf2 tags only images, as a flat list; :class:`StructureTree` stands in
for its builder (``FPDF.struct_builder``) and gives fpdf2 the objects to
write. Elements are small (a table of 100,000 signatures has 400,000 of
them): plain objects with slots (fpdf2's ``PDFObject`` gives each instance
a dictionary), written as plain dictionaries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from fpdf.syntax import PDFObject, PDFString

if TYPE_CHECKING:
    from fpdf import FPDF


class _Written:
    """What fpdf2 needs of an object it writes: an id it assigns, a reference, serialize()."""

    __slots__ = ("_id",)

    @property
    def id(self) -> int:
        return self._id

    @id.setter
    def id(self, n: int) -> None:
        self._id = n

    @property
    def ref(self) -> str:
        return f"{self._id} 0 R"


class Element(_Written):
    """One structure element: its type, parent, kids (elements or MCIDs) and page."""

    __slots__ = ("attributes", "kids", "kind", "page", "parent", "tree")

    def __init__(
        self, tree: StructureTree, kind: str, parent: Element | None, attributes: str = ""
    ) -> None:
        self.tree = tree
        self.kind = kind
        self.parent = parent
        # Elements, or marked content as page << 20 | MCID; one kid is kept bare, not in a
        # list (a table cell has one): a list per element costs megabytes at 100,000 rows.
        self.kids: list[Element | int] | Element | int | None = None
        self.page: int | None = None  # the page of its first marked content
        self.attributes = attributes  # extra entries, already serialized

    def serialize(self, obj_dict: object = None, _security_handler: object = None) -> str:
        tree = self.tree
        parent = self.parent.ref if self.parent is not None else tree.root.ref
        kids = []
        for kid in self.children():
            if isinstance(kid, Element):
                kids.append(kid.ref)
            elif kid >> 20 == self.page:
                kids.append(str(kid & 0xFFFFF))
            else:
                kids.append(f"<</Type /MCR /Pg {tree.page_ref(kid >> 20)} /MCID {kid & 0xFFFFF}>>")
        page = f" /Pg {tree.page_ref(self.page)}" if self.page is not None else ""
        return (
            f"{self._id} 0 obj\n<</S /{self.kind} /P {parent}{page}"
            f" /K [{' '.join(kids)}]{self.attributes}>>\nendobj"
        )

    def add(self, kid: Element | int) -> None:
        if self.kids is None:
            self.kids = kid
        elif isinstance(self.kids, list):
            self.kids.append(kid)
        else:
            self.kids = [self.kids, kid]

    def children(self) -> list[Element | int]:
        if self.kids is None:
            return []
        return self.kids if isinstance(self.kids, list) else [self.kids]


class _Root(PDFObject):
    __slots__ = ("_id", "tree")

    def __init__(self, tree: StructureTree) -> None:
        super().__init__()
        self.tree = tree

    def serialize(self, obj_dict: object = None, _security_handler: object = None) -> str:
        tree = self.tree
        return (
            f"{self.id} 0 obj\n<</Type /StructTreeRoot /K [{tree.document.ref}]"
            f" /ParentTree {tree.parent_tree.ref} /ParentTreeNextKey {len(tree.marks)}>>\nendobj"
        )


class _ParentTree(PDFObject):
    __slots__ = ("_id", "tree")

    def __init__(self, tree: StructureTree) -> None:
        super().__init__()
        self.tree = tree

    def serialize(self, obj_dict: object = None, _security_handler: object = None) -> str:
        entries = "\n".join(
            f"{key} [{' '.join(element.ref for element in elements)}]"
            for key, elements in enumerate(self.tree.marks)
        )
        return f"{self.id} 0 obj\n<</Nums [{entries}]>>\nendobj"


class StructureTree:
    """Stands in for fpdf2's ``struct_builder``: builds the tree, gives fpdf2 its objects."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.root = _Root(self)
        self.parent_tree = _ParentTree(self)
        self.document = Element(self, "Document", None)
        self.elements: list[Element] = [self.document]
        # Per page (its /StructParents key), the element of each MCID, in order.
        self.marks: list[list[Element]] = []
        self._key_of_page: dict[int, int] = {}
        self.doc_struct_elem = self  # fpdf2 reads .doc_struct_elem.k to set pages: none here
        self.k: list[Element] = []
        self.struct_tree_root = self.root

    def element(self, kind: str, parent: Element | None = None, attributes: str = "") -> Element:
        """A new element under ``parent`` (the Document when None)."""
        parent = parent or self.document
        element = Element(self, kind, parent, attributes)
        parent.add(element)
        self.elements.append(element)
        return element

    def mark(self, element: Element) -> int:
        """A new MCID on the current page, belonging to ``element``."""
        page = self.pdf.page
        key = self._key_of_page.get(page)
        if key is None:
            key = self._key_of_page[page] = len(self.marks)
            self.marks.append([])
            self.pdf.pages[page].struct_parents = key
        mcids = self.marks[key]
        mcid = len(mcids)
        mcids.append(element)
        if element.page is None:
            element.page = page
        element.add(page << 20 | mcid)
        return mcid

    def page_ref(self, page: int) -> str:
        return self.pdf.pages[page].ref

    def empty(self) -> bool:
        return False

    def __iter__(self) -> Iterator[PDFObject]:
        yield self.root
        yield self.parent_tree
        yield from self.elements


def text_string(text: str) -> str:
    """A PDF text string (UTF-16BE with a byte order mark, as hex)."""
    return PDFString(text).serialize()
