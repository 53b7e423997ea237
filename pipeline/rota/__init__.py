"""Who is where, when: the sessions every allocation plans (diary.py), the clashes a new or
changed allocation would make (clashes.py), the printable rota (document.py) and the
iCalendar invitations for supervisors' diaries (invitation.py). Drawn from the allocations,
the session plan (pipeline/sessions/plan.py) and the case timeline (pipeline/cases/).
Wording: form_templates/rota.toml.
"""
