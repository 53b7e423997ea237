"""The bundle of records for the court or the parties (`family-time bundle`): what goes in
(gather.py: the records in date order, missing ones named, the agreements and suspension
papers), its pages (layout.py: laid out here so the index's page numbers are the pages'), and
the files (write.py: one .docx, and its PDF through LibreOffice where installed)."""
