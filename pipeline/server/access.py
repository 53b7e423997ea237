"""Who may open the working folder on Windows: folder ACLs set with icacls.

On Windows os.chmod only flips the read-only bit, so "private" needs the folders' access
lists: inheritance removed, full control for the service account (and SYSTEM and the
Administrators group, who can take ownership anyway), and change rights on the inbox, outbox
and archive for the groups named in family-time.toml ([access] groups, e.g. business
support). The state folder (the ledger, the mail outbox) is the service account's alone.
`family-time init` applies this; on other systems it does nothing (chmod already applies).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

log = logging.getLogger("pipeline.access")

ADMINS = ("*S-1-5-18", "*S-1-5-32-544")  # SYSTEM, BUILTIN\Administrators (by SID: any language)
SHARED = ("inbox", "outbox", "archive")  # folders people work in beside the service


def on_windows() -> bool:
    """The platform check (tests patch this to exercise the Windows branch)."""
    return sys.platform == "win32"


def service_account(configured: str | None = None) -> str:
    """The configured service account, else the account running `init`."""
    if configured:
        return configured
    user = os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"
    domain = os.environ.get("USERDOMAIN")
    return f"{domain}\\{user}" if domain else user


def icacls_commands(folder: Path, account: str, groups: list[str], shared: bool) -> list[list[str]]:
    """The icacls command lines that make `folder` private to the service (and `groups`)."""
    grants = [f"{account}:(OI)(CI)F", *(f"{a}:(OI)(CI)F" for a in ADMINS)]
    if shared:
        grants += [f"{g}:(OI)(CI)M" for g in groups]
    cmd = ["icacls", str(folder), "/inheritance:r"]
    for grant in grants:
        cmd += ["/grant:r", grant]
    return [cmd]


def plan(config) -> list[list[str]]:
    """Every icacls command for the working folder's folders, state last and private."""
    account = service_account(config.access.service_account)
    groups = list(config.access.groups)
    folders = [
        (config.inbox_dir, True),
        (config.outbox_dir, True),
        (config.archive_dir, True),
        (config.state_dir, False),
    ]
    out = []
    for folder, shared in folders:
        out += icacls_commands(folder, account, groups, shared)
    return out


def secure_working_folder(config, run=None) -> list[str]:
    """Set the ACLs on Windows; the problems (an empty list when all went well, or off Windows)."""
    if not on_windows():
        return []
    run = run or subprocess.run
    problems = []
    for cmd in plan(config):
        try:
            done = run(cmd, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            problems.append(f"icacls could not run for {cmd[1]} ({type(exc).__name__})")
            continue
        if done.returncode != 0:
            problems.append(f"icacls refused {cmd[1]}: {(done.stderr or done.stdout).strip()}")
    return problems
