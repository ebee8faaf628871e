"""Open Badges 3.0 credentials: the OpenBadgeCredential, its VC-JWT, the status list and the issuer keys."""
