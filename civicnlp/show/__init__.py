"""Views of records for people: a rich terminal view and a self-contained HTML page.

Both read ``civicnlp.document/1`` record dicts (``Document.to_dict()``), so they show exactly
what ``civicnlp extract`` writes.
"""

from __future__ import annotations

from civicnlp.show.format import KINDS, date_text
from civicnlp.show.html import render_html
from civicnlp.show.terminal import render_terminal

__all__ = ["KINDS", "date_text", "render_html", "render_terminal"]
