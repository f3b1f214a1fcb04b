"""Signatures by country: a bar chart of the leading countries, drawn server-side as SVG."""

from __future__ import annotations

import re

from campaign.petitions.chart import LONGEST_BAR_PERCENT, country_chart


def _count(app, petition, counts: dict[str, int]) -> None:
    from campaign.extensions import db
    from campaign.petitions.counters import adjust_counters

    with app.app_context():
        for code, n in counts.items():
            adjust_counters(petition["id"], code, n)
        db.session.commit()


def test_bars_are_proportional_and_the_leading_ten_only():
    counts = [(f"C{i}", 1000 - i * 50) for i in range(14)]
    chart = country_chart(counts, str.lower)
    assert [bar.code for bar in chart.bars] == [f"C{i}" for i in range(10)]
    assert chart.bars[0].percent == LONGEST_BAR_PERCENT
    assert chart.bars[5].percent == round(LONGEST_BAR_PERCENT * 750 / 1000, 2)
    assert chart.bars[1].name == "c1" and chart.bars[1].top == chart.row_height
    assert chart.height == 10 * chart.row_height
    tiny = country_chart([("CH", 100000), ("FR", 1)], str)
    assert tiny.bars[1].percent > 0  # every counted country shows a bar


def test_the_page_draws_the_chart_with_the_full_table_beside_it(app, client, petition):
    counts = {
        code: 100 + i
        for i, code in enumerate(["CH", "FR", "ES", "US", "GB", "DE", "MX", "BR", "KE", "JP", "IN"])
    }
    _count(app, petition, counts)
    html = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="country-chart-title country-chart-desc"' in svg
    assert (
        '<title id="country-chart-title">'
        "Les 10 pays qui comptent le plus de signatures confirmées</title>"
    ) in svg
    assert svg.count('class="bar-chart-bar"') == 10
    assert ">Inde</text>" in svg and ">Suisse</text>" not in svg  # Switzerland has the fewest
    assert "style=" not in svg  # the Content-Security-Policy forbids inline styles
    # The table has every country, the eleventh too.
    start = html.index('<details class="countries-table"')
    table = html[start : html.index("</details>", start)]
    assert len(re.findall(r'<th scope="row">', table)) == 11
    assert '<th scope="row">Suisse</th><td class="num">100</td>' in table


def test_no_chart_before_any_signature_counts(client, petition):
    html = client.get(f"/petitions/{petition['slug']}").get_data(as_text=True)
    assert "<svg" not in html and "Where signatures come from" not in html
