"""The venue a test types in the tracker, as a co-ordinator of that service would: one of its
listed venues with an address, or, where the service lists none (Blackpool names no centre),
a kind of place it uses with an invented address."""

from __future__ import annotations

KIND_ADDRESS = "12 Example Road"


def a_venue(profile) -> str:
    listed = next((v.name for v in profile.venues if v.address_known), None)
    if listed:
        return listed
    kind = "Family Hub" if "Family Hub" in profile.venue_kinds else profile.venue_kinds[0]
    return f"{kind}, {KIND_ADDRESS}"
