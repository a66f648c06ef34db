"""mlcoach: a local-first coach for machine-learning engineering interviews."""

__version__ = "0.1.0"
