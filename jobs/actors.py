"""Dramatiq actors (thin)."""
