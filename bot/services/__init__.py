"""Use cases: the only layer that combines the AIHC client and the store."""
