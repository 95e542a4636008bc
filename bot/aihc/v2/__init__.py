"""The AIHC API v2 client: the v1 client's operations over v2's actions (`/?action=<Name>`)."""
