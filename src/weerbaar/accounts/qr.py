"""The QR code for setting up an authenticator app, as inline SVG (no Pillow, no image request).

The CSP forbids inline styles, so any ``style`` attribute is removed; size and colours come from
``.qr-code`` in weerbaar.css. A ``<title>`` and ``role="img"`` give screen readers a name.
"""

from __future__ import annotations

import re

import qrcode
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from qrcode.image.svg import SvgPathImage

_STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"<\?xml[^>]*\?>\s*")
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


def qr_svg(data: str, *, label: str, element_id: str = "qr-code") -> SafeString:
    image = qrcode.make(data, image_factory=SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    svg = _XML_DECLARATION.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub("", svg)
    title_id = f"{element_id}-titel"
    safe_label = escape(label)

    def _open(match: re.Match[str]) -> str:
        return (
            f'<svg{match.group(1)} id="{element_id}" role="img" aria-labelledby="{title_id}" '
            f'aria-label="{safe_label}" focusable="false"><title id="{title_id}">{safe_label}</title>'
        )

    svg = _SVG_OPEN.sub(_open, svg, count=1)
    # Everything in the markup comes from the qrcode package and our own escaped label.
    return mark_safe(svg)
