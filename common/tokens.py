"""Bearer links (My trip, questionnaires, follow-ups): the link carries a random token, the database only its
SHA-256, so a copy of the database opens no link.

A token has 256 random bits (a My trip link 128, short enough for a text message: preparation.services), so a plain
SHA-256 (no salt, no stretching) is enough: nothing can be guessed from it, and a link is found again by the hash of
the token in its URL. The token itself exists only in the request
that makes (or re-makes) the link: it is shown, printed or emailed then, and never again. A link made but not
given out yet holds the hash of a token nobody has (`unknown_token_hash`), which opens nothing.
"""

import hashlib
import secrets
from typing import Any


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unknown_token_hash() -> str:
    """The hash a new link starts with: of a token thrown away at once, so the link opens only once issued."""
    return hash_token(new_token())


def issue(link: Any, nbytes: int = 32) -> str:
    """Give `link` (a model with `token_hash`) a new token and return it; any earlier token of the link stops
    working. The caller shows, prints or sends the token in this request: it is not stored."""
    token = new_token(nbytes)
    link.token_hash = hash_token(token)
    type(link).objects.filter(pk=link.pk).update(token_hash=link.token_hash)
    link.token = token
    return token


def token_of(link: Any) -> str:
    """The link's token, held only by the instance that issued it."""
    token = getattr(link, "token", "")
    if not token or hash_token(token) != link.token_hash:
        raise ValueError("A link's token is known only when it is made; make a new link to give it again.")
    return token
