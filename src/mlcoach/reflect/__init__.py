"""Step 4, review and reflect: log real interviews, match their questions to the bank, find gaps."""
