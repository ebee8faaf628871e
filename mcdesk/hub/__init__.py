"""The reference institution hub: enrolment, evidence intake and the download feed (FastAPI, SQLite)."""
