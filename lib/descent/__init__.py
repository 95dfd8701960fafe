"""Descent: reference implementations for the course."""
