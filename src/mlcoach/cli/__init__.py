"""The command line: thin commands over the core. Heavy imports happen inside commands."""
