"""Builders for the validation tests: a complete, valid referral and session record as the
reader would hand them over (plain text answers), so each test changes one thing."""

from __future__ import annotations

import datetime as dt

from pipeline.extract.models import Extraction, FormMatch

RECEIVED = dt.datetime(2025, 3, 10, 10, 30)  # a Monday morning


def referral_fields(**changes) -> dict:
    """Every answer of a good referral; keyword changes use '__' for '.' (child__dob=...)."""
    fields = {
        "referral.date": "10/03/2025",
        "referral.type": "New referral",
        "referral.court_directed": "No",
        "child.first_name": "Test Child",
        "child.last_name": "Example",
        "child.unborn": "No",
        "child.dob": "14/06/2016",
        "child.gender": "Female",
        "child.ethnicity": "White British",
        "child.first_language": "English",
        "child.case_id": "1234567",
        "child.needs": "None known",
        "legal.status": "Interim Care Order",
        "placement.type": "Foster care",
        "placement.out_of_county": "No",
        "carer.name": "Sam Carer-Example",
        "carer.address": "1 Example Road, Northampton",
        "carer.postcode": "NN1 1AA",
        "carer.phone": "01604 123456",
        "family[1].name": "Jo Sample-Parent",
        "family[1].relationship": "Mother",
        "family[1].parental_responsibility": "Yes",
        "family[1].phone": "07700 900123",
        "family[1].address": "2 Sample Street, Northampton",
        "family.not_to_attend": "None",
        "social_worker.name": "Alex Worker-Example",
        "social_worker.team": "Team A",
        "social_worker.phone": "01604 654321",
        "social_worker.email": "alex@example.org",
        "team_manager.name": "Pat Manager-Example",
        "team_manager.email": "pat@example.org",
        "request.supervision": "Supervised",
        "request.purpose": "Keep the relationship going",
        "request.frequency": "Once a week",
        "request.duration": "1.5 hours",
        "request.days": ["Tuesday", "Thursday"],
        "request.times": "10am to 12pm",
        "request.venue_type": "Family Time centre",
        "request.venue": "Penfold Centre",
        "request.start_date": "24/03/2025",
        "request.transport": "Foster carer",
        "risk.to_child": "Low; see the assessment",
        "risk.to_staff": "None known",
        "risk.level": "Low",
        "risk.supervision_notes": "Phones away",
        "consent.parents_aware": "Yes",
        "consent.agreement_signed": "Yes",
        "signoff.name": "Alex Worker-Example",
        "signoff.date": "10/03/2025",
    }
    for k, v in changes.items():
        key = k.replace("__", ".").replace("family1", "family[1]").replace("family2", "family[2]")
        if v is None:
            fields.pop(key, None)
        else:
            fields[key] = v
    return fields


def record_fields(**changes) -> dict:
    fields = {
        "session.reference": "FT-2025-00012",
        "session.child_names": "Test Child Example",
        "session.date": "10/03/2025",
        "session.planned_start": "10:00",
        "session.planned_end": "11:30",
        "session.actual_start": "10:05",
        "session.actual_end": "11:30",
        "session.venue": "Penfold Centre",
        "session.supervisor": "Sam Supervisor-Example",
        "session.family_present": "Mother",
        "session.outcome": "Took place",
        "session.arrival": "Arrived on time",
        "session.summary": "Played together",
        "session.child_views": "Happy",
        "session.parenting": "Warm",
        "session.significant_event": "No",
        "session.author": "Sam Supervisor-Example",
        "session.written_on": "11/03/2025",
    }
    for k, v in changes.items():
        key = k.replace("__", ".")
        if v is None:
            fields.pop(key, None)
        else:
            fields[key] = v
    return fields


def referral(
    fields: dict | None = None, status="current", version="2025.1", file="referral.docx"
) -> Extraction:
    return Extraction(
        file=file,
        form=FormMatch(
            id="family-time-referral",
            version=version,
            status=status,
            reason="test",
            kind="referral",
        ),
        fields=referral_fields() if fields is None else fields,
    )


def record(fields: dict | None = None) -> Extraction:
    return Extraction(
        file="record.docx",
        form=FormMatch(
            id="family-time-record",
            version="2025.1",
            status="current",
            reason="test",
            kind="session_record",
        ),
        fields=record_fields() if fields is None else fields,
    )
