"""The twin report's inline SVG: a van's state of charge band over the days, and lateness.

Drawn as plain SVG strings (no script, no CDN), like the plan report's charts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from voltvan.domain import format_hhmm

BAND_W, BAND_H = 320, 150
PAD_L, PAD_R, PAD_T, PAD_B = 34, 8, 8, 20


def _points(xs: Sequence[float], ys: Sequence[float]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))


def soc_band_svg(van: Mapping[str, Any], t0: float, t1: float) -> str:
    """One van: the 5th-95th percentile band, the median, the plan's line and the reserve."""
    band, plan = van["soc_band"], van["plan_soc"]
    span = max(t1 - t0, 1.0)

    def x(t: float) -> float:
        return PAD_L + (t - t0) / span * (BAND_W - PAD_L - PAD_R)

    def y(soc: float) -> float:
        return PAD_T + (1.0 - soc) * (BAND_H - PAD_T - PAD_B)

    parts = [
        f'<svg class="vv-twin-band" viewBox="0 0 {BAND_W} {BAND_H}" width="{BAND_W}" '
        f'height="{BAND_H}" role="img" aria-label="State of charge of van {escape(van["van_id"])}">'
    ]
    for soc in (0.0, 0.5, 1.0):
        parts.append(
            f'<line class="vv-grid" x1="{PAD_L}" x2="{BAND_W - PAD_R}" y1="{y(soc):.1f}" '
            f'y2="{y(soc):.1f}"/><text x="{PAD_L - 4}" y="{y(soc) + 4:.1f}" '
            f'text-anchor="end">{soc * 100:.0f}%</text>'
        )
    h = (int(t0) // 3600 + 1) * 3600
    while h < t1:
        if (h // 3600) % 3 == 0:
            parts.append(
                f'<text x="{x(h):.1f}" y="{BAND_H - 5}" text-anchor="middle">'
                f"{format_hhmm(h)}</text>"
            )
        h += 3600
    ts = band["t_s"]
    if ts:
        upper = [(x(t), y(s)) for t, s in zip(ts, band["p95"], strict=True)]
        lower = [(x(t), y(s)) for t, s in zip(ts, band["p5"], strict=True)]
        poly = " ".join(f"{a:.1f},{b:.1f}" for a, b in upper + lower[::-1])
        parts.append(f'<polygon class="vv-twin-p" points="{poly}"/>')
        parts.append(
            f'<polyline class="vv-twin-p50" points="'
            f'{_points([x(t) for t in ts], [y(s) for s in band["p50"]])}"/>'
        )
    parts.append(
        f'<polyline class="vv-twin-plan" points="'
        f'{_points([x(t) for t in plan["t_s"]], [y(s) for s in plan["soc"]])}"/>'
    )
    r = y(van["reserve_soc"])
    parts.append(
        f'<line class="vv-reserve" x1="{PAD_L}" x2="{BAND_W - PAD_R}" y1="{r:.1f}" y2="{r:.1f}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def band_key_html() -> str:
    return (
        '<div class="vv-tl-key"><span><i class="vv-k-band"></i>5th–95th percentile of the days'
        '</span><span><i class="vv-k-p50"></i>median</span><span><i class="vv-k-plan"></i>'
        'the plan</span><span><i class="vv-k-reserve"></i>reserve</span></div>'
    )


def lateness_svg(hist: Mapping[str, Any]) -> str:
    """Late stops by minutes late, 5-minute bins; the last bin is open-ended."""
    edges, counts = hist["edges_min"], hist["counts"]
    w, h, pl, pb, pt = 640, 220, 44, 34, 10
    top = max(max(counts, default=0), 1)
    bw = (w - pl - 10) / len(counts)
    parts = [
        f'<svg class="vv-twin-hist" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="Histogram of minutes late">'
    ]
    for frac in (0.0, 0.5, 1.0):
        yy = pt + (1 - frac) * (h - pt - pb)
        parts.append(
            f'<line class="vv-grid" x1="{pl}" x2="{w - 10}" y1="{yy:.1f}" y2="{yy:.1f}"/>'
            f'<text x="{pl - 4}" y="{yy + 4:.1f}" text-anchor="end">{round(top * frac)}</text>'
        )
    for k, (edge, n) in enumerate(zip(edges, counts, strict=True)):
        bh = n / top * (h - pt - pb)
        x0 = pl + k * bw
        label = f"≥{edge}" if k == len(edges) - 1 else f"{edge}–{edges[k + 1]}"
        parts.append(
            f'<rect class="vv-twin-bar" x="{x0 + 1:.1f}" y="{h - pb - bh:.1f}" '
            f'width="{bw - 2:.1f}" height="{bh:.1f}"><title>{label} min: {n} stops</title></rect>'
            f'<text x="{x0 + bw / 2:.1f}" y="{h - pb + 14}" text-anchor="middle">{label}</text>'
        )
    parts.append(
        f'<text x="{(w + pl) / 2:.1f}" y="{h - 4}" text-anchor="middle">minutes late</text></svg>'
    )
    return "".join(parts)
