"""Tokens in links (shared maps, password reset, check mails, look-first answers): only their hash is stored."""
import hashlib


def token_hash(token: str) -> str:
    """SHA-256 of a token as hex. Lone surrogates (a hostile link) hash instead of raising."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
