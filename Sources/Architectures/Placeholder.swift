// Architectures: filled in by its issue.
