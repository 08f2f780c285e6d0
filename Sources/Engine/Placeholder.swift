// Engine: filled in by its issue.
