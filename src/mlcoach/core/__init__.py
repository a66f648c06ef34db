"""The pure domain of mlcoach.

Nothing in this package imports a web framework, a CLI library, the database layer or a model
runtime (a test enforces it). Time comes in as an argument, never from the wall clock.
"""
