"""Where mail carrying documents or personal data may go: the service's own domains and its
trusted partners' (the profile's [mail] own_domains and partner_domains), and the domains of
the service's own addresses. A personal mailbox typed on a form (a gmail address) must never
receive a pack: that mail is held for a person to send securely (issue 27). Acknowledgements
and requests for information carry only a reference and initials and may go anywhere."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.notify.addresses import clean_address
from pipeline.profile import Profile


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower().rstrip(".")


def _ours(profile: Profile) -> list[str]:
    """The domains of the service's own addresses: its mail is always its own to receive."""
    out = []
    for value in (profile.team_inbox, profile.contact_email, profile.mail.from_address):
        address = clean_address(value)
        if address:
            out.append(domain_of(address))
    return out


def allowed_domains(profile: Profile) -> list[str]:
    """Every domain documents may be mailed to (each allows its sub-domains), once each."""
    seen: list[str] = []
    for d in (*profile.mail.own_domains, *profile.mail.partner_domains, *_ours(profile)):
        d = d.strip().lower().lstrip("@.").rstrip(".")
        if d and d not in seen:
            seen.append(d)
    return seen


def may_carry_documents(address: str, profile: Profile) -> bool:
    """True when `address` is at an allowed domain or one of its sub-domains (so "gov.uk"
    allows "westnorthants.gov.uk", but "evilgov.uk" is not "gov.uk")."""
    domain = domain_of(address)
    return any(domain == d or domain.endswith("." + d) for d in allowed_domains(profile))


def split(addresses: Iterable[str], profile: Profile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the addresses documents may go to, the addresses they are held from)."""
    allowed, held = [], []
    for a in addresses:
        (allowed if may_carry_documents(a, profile) else held).append(a)
    return tuple(allowed), tuple(held)
