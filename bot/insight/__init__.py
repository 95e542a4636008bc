"""What a training is doing, read from what AIHC returns: progress, hangs, idle GPUs, waiting.

Pure code over domain types: no I/O, no clock of its own, no Slack. The watcher feeds it and the
renderers show what it finds.
"""
