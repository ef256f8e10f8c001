"""Secrets handed to people (API tokens, calendar feed URLs): made random, stored only hashed."""

import hashlib
import secrets


def token_hash(secret: str) -> str:
    """What is stored of a secret: its sha256, so a copy of the database opens nothing."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(prefix: str = "") -> str:
    """A fresh secret (256 random bits, URL-safe), with a readable prefix."""
    return prefix + secrets.token_urlsafe(32)
