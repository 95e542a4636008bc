"""The `/aihc` command: its grammar, declared once, and the handlers behind each command."""
