"""Steps 1 and 2 of the method: the profile, the diagnostic, the study plan, practice, notes and stories."""
