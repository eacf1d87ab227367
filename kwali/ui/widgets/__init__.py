"""Widgets: they draw what screens give them and post messages; none touches the store."""

from kwali.ui.widgets.segment_panel import SegmentPanel
from kwali.ui.widgets.transcript_view import Annotation, TranscriptView

__all__ = ["Annotation", "SegmentPanel", "TranscriptView"]
