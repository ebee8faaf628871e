"""Signed, hash-chained completion evidence: the record format, the device key and the outbox."""
