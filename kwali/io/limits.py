"""How much a transcript reader accepts: every limit on imported text, in one place.

A file's size says little about what it unpacks to (a .docx is zipped XML, an .odt can ask
for two billion spaces in 30 bytes), so the readers also bound what they extract. Each limit
is far above any real interview; past it the file is refused in one line, never cut short.
"""

from __future__ import annotations

# The file on disk (.txt, .vtt, .srt, .docx, .odt); a transcript is rarely over 1 MB.
MAX_FILE_BYTES = 64 * 1024 * 1024
# Characters of text one transcript may hold once read (about 8,000 pages).
MAX_TEXT_CHARS = 20_000_000
# The XML part holding a .docx's or .odt's text, checked before it is unpacked.
MAX_XML_BYTES = 64 * 1024 * 1024
# Nesting of XML elements: real documents stay under 50.
MAX_XML_DEPTH = 256
# Elements in that XML part (a 64 MB part of real Word XML holds about 3 million).
MAX_XML_ELEMENTS = 4_000_000
# Spaces one ODF <text:s text:c="N"/> element may stand for.
MAX_SPACE_RUN = 10_000
# Hours in a caption's time stamp (a recording of over a year is not an interview).
MAX_CAPTION_HOURS = 9_999
