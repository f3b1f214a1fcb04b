"""The bar chart of the leading countries, laid out for server-side SVG.

The chart is drawn in the template as inline SVG: no script, no inline style
(the Content-Security-Policy forbids both), colours from site.css classes.
Bars are sized in percentages of the chart's width, so it fits any screen
while its text keeps its size.
"""

from __future__ import annotations

from dataclasses import dataclass

LEADING = 10
ROW_HEIGHT = 46
# The longest bar leaves room after it for its number.
LONGEST_BAR_PERCENT = 78.0


@dataclass(frozen=True)
class Bar:
    code: str
    name: str
    count: int
    top: int  # the row's top, in pixels
    percent: float  # the bar's length, in percent of the chart's width


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    row_height: int = ROW_HEIGHT


def country_chart(counts: list[tuple[str, int]], name_of, leading: int = LEADING) -> Chart:
    """Lay out ``leading`` countries of ``counts`` ((code, count), largest first) as bars.

    ``name_of`` gives a country's name in the reader's language. Every
    counted country gets a visible bar, however small.
    """
    rows = [(code, count) for code, count in counts if count > 0][:leading]
    largest = max((count for _code, count in rows), default=0)
    bars = [
        Bar(
            code=code,
            name=name_of(code),
            count=count,
            top=index * ROW_HEIGHT,
            percent=max(0.5, round(LONGEST_BAR_PERCENT * count / largest, 2)),
        )
        for index, (code, count) in enumerate(rows)
    ]
    return Chart(bars=bars, height=len(bars) * ROW_HEIGHT)
