"""Tests of the pure renderers and the message catalogues."""
