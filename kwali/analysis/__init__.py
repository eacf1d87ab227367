"""Analysis across the whole study: queries over codes, groups and text (issue #14)."""
