"""The content bank: its file format, loading and lint.

`load_bank(path)` reads a directory of Markdown + YAML files into an immutable `Bank`, and reports
every problem as `path:line: message` instead of raising on bad content.
"""

from mlcoach.bank.loader import BankLoad, load_bank
from mlcoach.bank.problems import Problem

__all__ = ["BankLoad", "Problem", "load_bank"]
