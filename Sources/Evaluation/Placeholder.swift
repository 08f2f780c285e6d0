// Evaluation: filled in by its issue.
