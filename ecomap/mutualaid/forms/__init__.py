"""Mutual support's forms, by topic."""
