"""Venues as the services describe them (issue 26): besides its listed centres, a service
holds family time in the kinds of place its policy names (a carer's home, the community, a
Family Hub), typed in the row with the address; a kind it does not use is refused in plain
words, and the letters print the address typed."""

from __future__ import annotations

import pytest

from pipeline.profile import load_profile
from pipeline.tracker.allocation import venue_kind_problems

from tests.helpers.allocation_kit import Desk

REF = "FT-2026-00001"


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    d = Desk(tmp_path / "work")
    d.receive()
    return d


def test_a_carers_home_with_its_address_makes_the_pack(desk):
    typed = "Carer's home, 12 Oak Road, Northampton NN1 1AA"
    desk.allocate(REF, Venue=typed)
    desk.effects()
    assert desk.row(REF)["Paperwork"].startswith("Pack made "), desk.row(REF)["Paperwork"]
    from tests.helpers.render_kit import docx_text

    texts = " ".join(docx_text(p) for p in desk.pack(REF) if p.suffix == ".docx")
    assert "12 Oak Road, Northampton NN1 1AA" in texts


def test_a_kind_the_service_does_not_use_is_refused_in_plain_words(desk):
    desk.allocate(REF, Venue="Family Hub, 3 Hub Street, Northampton")
    desk.effects()
    cell = desk.row(REF)["Paperwork"]
    assert cell.startswith("To correct:")
    assert "does not hold family time in a Family Hub" in cell
    assert "a carer's home" in cell  # the kinds it does use


@pytest.mark.parametrize(
    "service, typed, said",
    [
        ("blackpool", "Family Hub, 3 Hub Street, Blackpool FY1 1AA", None),
        ("blackpool", "child's home, 4 Sands Road, FY2 2BB", None),
        ("blackpool", "Community, Stanley Park", None),
        ("blackpool", "Parent's home, 5 Road", "does not hold family time in a parent's home"),
        ("blackpool", "Carer's home", "type the address after 'Carer's home'"),
        ("milton-keynes", "Community, Willen Lake", None),
        ("milton-keynes", "Carer's home, 1 Road", "does not hold family time in a carer's home"),
        ("milton-keynes", "Somewhere else", "is not one of the service's venues"),
        ("northamptonshire", "parents home, 2 Sample Street", None),
    ],
)
def test_each_services_kinds(service, typed, said):
    problems = venue_kind_problems(typed, load_profile(service))
    if said is None:
        assert problems == []
    else:
        assert len(problems) == 1 and said in problems[0]


@pytest.mark.parametrize("service", ["northamptonshire", "blackpool", "milton-keynes"])
def test_the_venue_list_lets_a_kind_and_its_address_be_typed(service):
    """The Venue drop-down suggests the service's centres; where the service also holds family
    time in homes or the community, the workbook does not refuse "Carer's home, 12 Oak Road"
    (the check is the pipeline's, in plain words, as above)."""
    import io

    import openpyxl

    from pipeline.tracker.columns import load_spec
    from pipeline.tracker.create import new_workbook_bytes

    profile = load_profile(service)
    spec = load_spec(profile=profile)
    assert spec.sheet("Referrals").column("venue").list_strict is False
    ws = openpyxl.load_workbook(io.BytesIO(new_workbook_bytes(spec, profile)))["Referrals"]
    venue_col = next(c.column_letter for c in ws[1] if c.value == "Venue")
    [dv] = [d for d in ws.data_validations.dataValidation if venue_col in str(d.sqref)]
    assert dv.errorStyle in ("warning", "information") or not dv.showErrorMessage


def test_a_listed_venue_with_no_address_makes_no_pack_and_says_why(desk):
    """Letters never tell a family "address to follow": a venue the profile lists without an
    address is refused in the Paperwork cell, with what to do."""
    first = desk.profile.venues[0]
    unknown = first.model_copy(update={"address": "not stated"})
    desk.profile = desk.profile.model_copy(update={"venues": [unknown, *desk.profile.venues[1:]]})
    desk.allocate(REF, Venue=first.name)
    desk.effects()
    cell = desk.row(REF)["Paperwork"]
    assert f"'{first.name}' has no address in the service profile" in cell, cell
    assert not desk.pack(REF)


def test_blackpool_lists_no_invented_centre_and_takes_a_family_hub_with_its_address(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("FAMILY_TIME_TODAY", "2026-12-01")
    assert load_profile("blackpool").venues == []
    d = Desk(tmp_path / "bp", profile="blackpool")
    d.receive()
    d.allocate(REF, Venue="Family Hub, 12 Example Road, Blackpool FY1 1AA")
    d.effects()
    assert d.row(REF)["Paperwork"].startswith("Pack made "), d.row(REF)["Paperwork"]
