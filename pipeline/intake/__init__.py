"""From the inbox to the ledger: one file at a time, never lost, never handled twice.

    watcher.py     the long-lived watcher (events or polling, rescans, retries)
    inbox.py       which inbox files count, when a file has settled, claiming it
    owners.py      Office owner files (`~$name`): is a document still open?
    process.py     one file through the pipeline: hash, read, validate, record, move
    same_child.py  one referral per child: a copy, an update, or a new referral
    archive.py     moving the original to archive/<outcome>/ with its reason file
    giveup.py      setting aside a file that fails the same way again and again

Nothing is re-exported here, so importing one module never drags in the others.
"""
