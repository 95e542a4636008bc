"""Tests of the Slack side: grammar, handlers, renderers."""
