"""The Slack side: Bolt listeners, the command grammar, renderers and message catalogues."""
