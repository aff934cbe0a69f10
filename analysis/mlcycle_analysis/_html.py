"""Small HTML builders for the self-contained reports (inline CSS, images as data URIs)."""
from __future__ import annotations

import base64
import html
import math
import os
import tempfile

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; }
th { background: #f3f3f3; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid #999; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; } pre { background: #f7f7f7; padding: 0.6em; }
.note { color: #666; font-size: 0.9em; }
"""


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def number(value, digits=2) -> str:
    """Thousands separators, fixed decimals (digits=None: 3 significant); NaN/None as a dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if digits is None:  # ratios spanning orders of magnitude (equivalents)
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{value:,.{digits}f}"


class Cell:
    """A table cell; `attrs` become data-* attributes (the raw value for machine reading)."""

    def __init__(self, text, numeric=False, **attrs):
        self.text, self.numeric, self.attrs = text, numeric, attrs

    def render(self) -> str:
        attrs = "".join(f' data-{k.replace("_", "-")}="{esc(v)}"' for k, v in self.attrs.items())
        css = ' class="num"' if self.numeric else ""
        return f"<td{css}{attrs}>{esc(self.text)}</td>"


def num(value, digits=2, factor=1.0, **attrs) -> Cell:
    """A numeric cell showing value × factor; data-value keeps the unscaled value exactly."""
    shown = None if value is None else float(value) * factor
    raw = "nan" if value is None else repr(float(value))
    return Cell(number(shown, digits), True, value=raw, **attrs)


def table(headers, rows, row_classes=None, table_id=None) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(c.render() if isinstance(c, Cell) else f"<td>{esc(c)}</td>" for c in row)
        css = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        body.append(f"<tr{css}>{cells}</tr>")
    ident = f' id="{esc(table_id)}"' if table_id else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def section(ident, heading, *parts) -> str:
    return f'<section id="{esc(ident)}">\n<h2>{esc(heading)}</h2>\n' + "\n".join(parts) + \
        "\n</section>"


def png_figure(plot, caption, *args) -> str:
    """Run plot(*args, path=...) into a temporary PNG and embed it as a base64 data URI."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "figure.png")
        plot(*args, path=path)
        with open(path, "rb") as handle:
            data = base64.b64encode(handle.read()).decode("ascii")
    return (f'<figure><img alt="{esc(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def page(title, body) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"<h1>{esc(title)}</h1>\n{body}\n</body>\n</html>\n")


def write(path, text) -> str:
    path = os.fspath(path)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path
