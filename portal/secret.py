import secrets
from pathlib import Path


def read_or_create_secret_key(path: Path) -> str:
    """A development secret kept in the git-ignored data folder, made on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    path.write_text(key)
    path.chmod(0o600)
    return key
