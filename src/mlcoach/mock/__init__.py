"""Step 3, mock interviews: timed rounds solo with automatic feedback, or with a peer or mentor."""
