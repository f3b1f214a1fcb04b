"""Realistic synthetic signatures, for demos and benchmarks (``flask seed-signatures``).

Signers come from everywhere, so the names do too: Latin with diacritics,
Cyrillic, Greek, Arabic, Hebrew, Chinese, Japanese, Korean and Devanagari.
Each country draws given names and family names from its own pool and writes
them in its own order; the weights make a plausible spread of countries.
"""

# Names in other scripts are meant to look like Latin letters at times: they are data.
# ruff: noqa: RUF001

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class NamePool:
    given: tuple[str, ...]
    family: tuple[str, ...]
    family_first: bool = False
    separator: str = " "

    def draw(self, rng: random.Random) -> str:
        given, family = rng.choice(self.given), rng.choice(self.family)
        parts = (family, given) if self.family_first else (given, family)
        return self.separator.join(parts)


_FRENCH = NamePool(
    ("Amélie", "Chloé", "Hélène", "Léa", "Zoé", "Loïc", "Jérôme", "François", "Gaël", "Noël"),
    ("Dubois", "Lefèvre", "Moreau", "Girard", "Bézier", "Château", "Lemaître", "Faure"),
)
_GERMAN = NamePool(
    ("Jürgen", "Günther", "Jörg", "Käthe", "Lena", "Maximilian", "Sören", "Anna", "Björn"),
    ("Müller", "Schäfer", "Weiß", "Köhler", "Groß", "Bäcker", "Fischer", "Schröder"),
)
_SPANISH = NamePool(
    ("José", "María", "Inés", "Andrés", "Lucía", "Begoña", "Íñigo", "Sofía", "Ramón"),
    ("Núñez", "Pérez", "Muñoz", "Ibáñez", "García", "Martínez", "Gómez", "Peña"),
)
_PORTUGUESE = NamePool(
    ("João", "Conceição", "Gonçalo", "Inês", "Sebastião", "Luísa", "Antônio", "Júlia"),
    ("Gonçalves", "Magalhães", "Simões", "Araújo", "Conceição", "Brandão", "Assunção"),
)
_POLISH = NamePool(
    ("Łukasz", "Małgorzata", "Wojciech", "Zofia", "Paweł", "Jędrzej", "Agnieszka", "Michał"),
    ("Wałęsa", "Kowalczyk", "Wiśniewski", "Łęcki", "Żółkiewski", "Dąbrowska", "Nowak"),
)
_CZECH = NamePool(
    ("Jiří", "Tomáš", "Kateřina", "Lenka", "Přemysl", "Zdeněk", "Božena", "Radka"),
    ("Dvořák", "Černý", "Procházka", "Kučera", "Růžička", "Novotná", "Šťastný"),
)
_NORDIC = NamePool(
    ("Åsa", "Björn", "Øystein", "Märta", "Søren", "Ingrid", "Ægir", "Linnéa"),
    ("Ångström", "Søndergaard", "Lindqvist", "Bjørnstad", "Håkansson", "Ødegård"),
)
_TURKISH = NamePool(
    ("Çağla", "Gökhan", "Şule", "İbrahim", "Özlem", "Ümit", "Ayşe", "Barış"),
    ("Yılmaz", "Öztürk", "Şahin", "Çelik", "Doğan", "Aydın", "Güneş"),
)
_VIETNAMESE = NamePool(
    ("Thị Hương", "Văn Đức", "Thu Hà", "Quốc Bảo", "Ngọc Ánh", "Minh Tuấn"),
    ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng"),
    family_first=True,
)
_ENGLISH = NamePool(
    ("Olivia", "James", "Amelia", "Noah", "Isla", "Oliver", "Chloe", "Liam", "Siobhán", "Seán"),
    ("Smith", "Jones", "O'Brien", "Taylor", "Brown", "Williams", "Wilson", "Ó Súilleabháin"),
)
_RUSSIAN = NamePool(
    ("Александр", "Мария", "Дмитрий", "Анастасия", "Сергей", "Екатерина", "Фёдор", "Юлия"),
    ("Иванов", "Смирнова", "Кузнецов", "Попова", "Васильев", "Соколова", "Лебедев"),
)
_UKRAINIAN = NamePool(
    ("Олександр", "Оксана", "Андрій", "Ірина", "Богдан", "Наталія", "Тарас", "Юлія"),
    ("Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравчук", "Мельник"),
)
_BULGARIAN = NamePool(
    ("Георги", "Мария", "Иван", "Елена", "Димитър", "Цветелина"),
    ("Петров", "Иванова", "Георгиев", "Димитрова", "Николов"),
)
_GREEK = NamePool(
    ("Γιώργος", "Μαρία", "Νίκος", "Ελένη", "Δημήτρης", "Αικατερίνη"),
    ("Παπαδόπουλος", "Παππά", "Οικονόμου", "Γεωργίου", "Νικολάου"),
)
_ARABIC = NamePool(
    ("محمد", "فاطمة", "أحمد", "مريم", "علي", "خديجة", "يوسف", "ليلى", "عمر", "نور"),
    ("البرادعي", "الحسيني", "العلي", "منصور", "حداد", "الخطيب", "السيد", "عبد الله"),
)
_HEBREW = NamePool(
    ("נועה", "יוסף", "תמר", "דוד", "מיכל", "אברהם"),
    ("כהן", "לוי", "מזרחי", "פרץ", "ביטון"),
)
_CHINESE = NamePool(
    ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "洋"),
    ("王", "李", "张", "刘", "陈", "杨", "黄", "赵"),
    family_first=True,
    separator="",
)
_JAPANESE = NamePool(
    ("陽翔", "さくら", "蓮", "結衣", "大翔", "葵"),
    ("佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤"),
    family_first=True,
    separator="",
)
_KOREAN = NamePool(
    ("민준", "서연", "지훈", "하은", "도윤", "지아"),
    ("김", "이", "박", "최", "정", "강"),
    family_first=True,
    separator="",
)
_HINDI = NamePool(
    ("राहुल", "प्रिया", "अमित", "अंजलि", "विक्रम", "स्नेहा", "अर्जुन", "कविता"),
    ("शर्मा", "वर्मा", "गुप्ता", "सिंह", "कुमार", "पटेल", "त्रिपाठी"),
)
_NEPALI = NamePool(
    ("सुनिल", "सीता", "राम", "गीता", "बिकास", "सरिता"),
    ("श्रेष्ठ", "अधिकारी", "थापा", "गुरुङ", "पौडेल"),
)

# (country, weight, name pool): roughly how a global call's signatures spread.
COUNTRIES: tuple[tuple[str, int, NamePool], ...] = (
    ("US", 12, _ENGLISH),
    ("GB", 6, _ENGLISH),
    ("FR", 9, _FRENCH),
    ("DE", 8, _GERMAN),
    ("CH", 5, _FRENCH),
    ("AT", 2, _GERMAN),
    ("BE", 2, _FRENCH),
    ("ES", 5, _SPANISH),
    ("MX", 3, _SPANISH),
    ("CO", 2, _SPANISH),
    ("AR", 2, _SPANISH),
    ("PT", 1, _PORTUGUESE),
    ("BR", 4, _PORTUGUESE),
    ("PL", 3, _POLISH),
    ("CZ", 1, _CZECH),
    ("SE", 1, _NORDIC),
    ("NO", 1, _NORDIC),
    ("DK", 1, _NORDIC),
    ("TR", 2, _TURKISH),
    ("VN", 1, _VIETNAMESE),
    ("RU", 4, _RUSSIAN),
    ("UA", 2, _UKRAINIAN),
    ("BG", 1, _BULGARIAN),
    ("GR", 1, _GREEK),
    ("EG", 3, _ARABIC),
    ("JO", 1, _ARABIC),
    ("MA", 2, _ARABIC),
    ("LB", 1, _ARABIC),
    ("SA", 1, _ARABIC),
    ("IL", 1, _HEBREW),
    ("CN", 4, _CHINESE),
    ("TW", 1, _CHINESE),
    ("JP", 3, _JAPANESE),
    ("KR", 2, _KOREAN),
    ("IN", 6, _HINDI),
    ("NP", 1, _NEPALI),
    ("AU", 2, _ENGLISH),
    ("CA", 3, _ENGLISH),
    ("IE", 1, _ENGLISH),
    ("ZA", 1, _ENGLISH),
    ("NG", 1, _ENGLISH),
    ("KE", 1, _ENGLISH),
)


class NameSource:
    """Draws (country, name) pairs with the weights above, reproducibly from a seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._countries = [code for code, _weight, _pool in COUNTRIES]
        self._weights = [weight for _code, weight, _pool in COUNTRIES]
        self._pools = {code: pool for code, _weight, pool in COUNTRIES}

    def draw(self, k: int) -> list[tuple[str, str]]:
        codes = self.rng.choices(self._countries, weights=self._weights, k=k)
        return [(code, self._pools[code].draw(self.rng)) for code in codes]
