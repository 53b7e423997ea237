"""Running on the server: what IT sets up and what keeps one `watch` healthy.

    startup.py     checks before `watch` touches anything (local state, folders, the inbox)
    watch_lock.py  one `watch` per working folder (an OS lock on state/watch.lock)
    logs.py        the rotating log file, and fault lines that never quote a child's name
    service.py     running until a signal or a service stop, within the manager's grace
    access.py      who may open the working folder on Windows (folder ACLs)

Command parsing stays in pipeline/commands/; these modules hold what the commands run.
"""
