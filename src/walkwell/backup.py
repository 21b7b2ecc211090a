"""Backups of the SQLite database: a consistent copy taken while WalkWell runs
(SQLite's online backup API), optionally encrypted with a passphrase, and the
restore of such a copy into the database of a stopped instance.

Encryption: a key is derived from the passphrase with scrypt (a fresh salt per
file); the copy is sealed in 1 MiB chunks with AES-256-GCM, each chunk's number
and a last-chunk mark bound into it, so a chunk reordered, dropped or cut off is
refused. No Django here: the command passes the database path.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"WALKWELL-BACKUP-1\n"
SQLITE_MAGIC = b"SQLite format 3\x00"
CHUNK = 1024 * 1024
SALT_BYTES = 16
PREFIX_BYTES = 8


class BackupError(Exception):
    """A backup that cannot be read or restored, said in one sentence."""


def _key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(index: int, last: bool) -> bytes:
    return struct.pack(">Q?", index, last)


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of an open database into the (new, empty) file ``target``:
    the whole copy is one read, so rows committed meanwhile are in it whole or
    not at all."""
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()


def _chunks(stream: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    block = stream.read(CHUNK)
    while True:
        following = stream.read(CHUNK)
        yield block, not following
        if not following:
            return
        block = following


def encrypt(plain: Path, target: Path, passphrase: str) -> None:
    """Seal the file ``plain`` into ``target`` (already created, private)."""
    salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
    sealer = AESGCM(_key(passphrase, salt))
    with plain.open("rb") as src, target.open("wb") as out:
        out.write(MAGIC + salt + prefix)
        for index, (block, last) in enumerate(_chunks(src)):
            sealed = sealer.encrypt(_nonce(prefix, index), block, _aad(index, last))
            out.write(struct.pack(">I", len(sealed)) + sealed)


def decrypt(sealed: Path, target: Path, passphrase: str) -> None:
    """Open an encrypted backup into ``target``; a wrong passphrase or a damaged
    file is a ``BackupError``."""
    with sealed.open("rb") as src, target.open("wb") as out:
        head = src.read(len(MAGIC) + SALT_BYTES + PREFIX_BYTES)
        if not head.startswith(MAGIC) or len(head) < len(MAGIC) + SALT_BYTES:
            raise BackupError("is not an encrypted WalkWell backup")
        salt = head[len(MAGIC) : len(MAGIC) + SALT_BYTES]
        prefix = head[len(MAGIC) + SALT_BYTES :]
        opener = AESGCM(_key(passphrase, salt))
        index, last = 0, False
        while size := src.read(4):
            sealed_block = src.read(struct.unpack(">I", size)[0])
            for last in (False, True):
                try:
                    out.write(
                        opener.decrypt(
                            _nonce(prefix, index), sealed_block, _aad(index, last)
                        )
                    )
                    break
                except InvalidTag:
                    if last:
                        raise BackupError(
                            "cannot be opened: a wrong passphrase, or a damaged file"
                        ) from None
            if last:
                break
            index += 1
        if not last or src.read(1):
            raise BackupError("is cut short or has bytes after its end")


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def restore_into(backup: Path, database: Path, passphrase: str | None) -> None:
    """Replace the contents of ``database`` with the backup's, through SQLite's
    backup API (so the database's own file, its mode and its WAL stay right)."""
    if not backup.is_file():
        raise BackupError("is not a file")
    with tempfile.TemporaryDirectory(dir=database.parent) as scratch:
        plain = backup
        if is_encrypted(backup):
            if not passphrase:
                raise BackupError("is encrypted: give its passphrase")
            plain = Path(scratch) / "backup.sqlite3"
            plain.touch(mode=0o600)
            decrypt(backup, plain, passphrase)
        with plain.open("rb") as f:
            if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                raise BackupError("is not a WalkWell backup (not a SQLite database)")
        source = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
        try:
            (ok,) = source.execute("pragma integrity_check").fetchone()
            if ok != "ok":
                raise BackupError(f"is damaged ({ok})")
            with sqlite3.connect(database) as target:
                source.backup(target)
            target.close()
        finally:
            source.close()
