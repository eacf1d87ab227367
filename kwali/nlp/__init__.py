"""The Dutch NLP layer: a spaCy pipeline that works offline, and turn/sentence segmentation."""

from kwali.nlp.pipeline import make_nlp, stem
from kwali.nlp.segment import segment_many, segment_transcript

__all__ = ["make_nlp", "segment_many", "segment_transcript", "stem"]
